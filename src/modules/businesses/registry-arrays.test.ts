import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../db/array-literal.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, type TestApp } from '../../testing/harness.ts';
import { type BusinessWrite, insertBusinessesSet, insertPeopleSet } from './businesses.service.ts';

// The registry's inserts send a batch as one array literal per column (src/db/array-literal.ts):
// every value must come back from the database as it was given, whatever characters it holds.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

// Strings that array_in reads as something else unless quoted and escaped.
const awkward = [
  '',
  'NULL',
  'null',
  ' leading and trailing ',
  'a,b',
  '{braces}',
  '"quoted"',
  'back\\slash',
  'both \\" at once',
  "Ma'ruf",
  'Ma’ruf Amin',
  'Ěva Ñoño 李',
  'line\nbreak',
  'tab\there',
];

describe('array literals', () => {
  it('read back by unnest as the values given, in their order', async () => {
    const values = [...awkward, null, undefined];
    const rows = await queryRows<{ v: string | null }>(
      t.ctx.db,
      sql`select v from unnest(${arrayLiteral(values)}::text::text[]) with ordinality as u(v, i) order by i`,
    );
    expect(rows.map((r) => r.v)).toEqual([...awkward, null, null]);
    const typed = await queryRows<{ n: string | null; b: boolean | null }>(
      t.ctx.db,
      sql`select n::text, b from unnest(${arrayLiteral([0, -7, 9_007_199_254_740_991, null])}::text::bigint[],
            ${arrayLiteral([true, false, null, true])}::text::boolean[]) with ordinality as u(n, b, i) order by i`,
    );
    expect(typed).toEqual([
      { n: '0', b: true },
      { n: '-7', b: false },
      { n: '9007199254740991', b: null },
      { n: null, b: true },
    ]);
  });

  it('refuses a number with no literal', () => {
    expect(() => arrayLiteral([Number.NaN])).toThrow('not a finite number');
    expect(() => arrayLiteral([Number.POSITIVE_INFINITY])).toThrow('not a finite number');
  });

  it('carry people and businesses with awkward names into the registry unchanged', async () => {
    const niks = awkward.map((_, i) =>
      generateNik({ kecamatanCode: '62.71.03', birthDate: '1979-11-30', sex: 'L', serial: 8100 + i }),
    );
    const people = await insertPeopleSet(
      t.ctx.db,
      awkward.map((name, i) => ({
        nik: niks[i] as string,
        pn: `Pemilik ${name}`,
        sx: 'L' as const,
        bd: '1979-11-30',
        ph: i % 2 ? null : `0812${String(i).padStart(8, '0')}`,
        ad: i % 3 ? name : null,
      })),
    );
    expect(people.map((p) => p.nik).sort()).toEqual([...niks].sort());
    const owner = new Map(people.map((p) => [p.nik, p.id]));
    const writes: BusinessWrite[] = awkward.map((name, i) => ({
      oid: owner.get(niks[i] as string) as string,
      own: `Pemilik ${name}`,
      ref: i % 2 ? `ARR-${i}` : null,
      bn: `Usaha ${name}`,
      kb: i % 2 ? '10710' : null,
      kv: i % 2 ? 2020 : null,
      rc: '62.71.03.1002',
      kc: '62.71.03',
      nib: null,
      cap: i % 2 ? 1_500_000_000 : null,
      tov: i * 1_000_000,
      wk: i % 4 ? i : null,
      cv: i % 3 === 0 ? null : i % 3 === 1,
      st: i % 5 === 0 ? null : 'tidak_aktif',
    }));
    await insertBusinessesSet(t.ctx.db, writes);
    const stored = await queryRows<{
      nik: string;
      pn: string;
      bd: string;
      ph: string | null;
      ad: string | null;
      ref: string | null;
      bn: string;
      kb: string | null;
      kv: number | null;
      cap: string | null;
      tov: string | null;
      wk: number | null;
      cv: boolean | null;
      st: string;
      owner_doc_matches: boolean;
    }>(
      t.ctx.db,
      sql`select p.nik, p.name as pn, p.birth_date::text as bd, p.phone as ph, p.address as ad, b.ref, b.name as bn,
            b.kbli as kb, b.kbli_version as kv, b.capital::text as cap, b.annual_turnover::text as tov,
            b.workers as wk, b.covid_impacted as cv, b.status::text as st,
            b.owner_search = registry_name_terms(p.name) as owner_doc_matches
          from businesses b join people p on p.id = b.owner_id
          where p.nik in (select unnest(${arrayLiteral(niks)}::text::text[]))`,
    );
    const byNik = new Map(stored.map((row) => [row.nik, row]));
    awkward.forEach((name, i) => {
      const w = writes[i] as BusinessWrite;
      expect(byNik.get(niks[i] as string)).toEqual({
        nik: niks[i],
        pn: `Pemilik ${name}`,
        bd: '1979-11-30',
        ph: i % 2 ? null : `0812${String(i).padStart(8, '0')}`,
        ad: i % 3 ? name : null,
        ref: w.ref,
        bn: `Usaha ${name}`,
        kb: w.kb,
        kv: w.kv,
        cap: w.cap === null ? null : String(w.cap),
        tov: String(w.tov),
        wk: w.wk,
        cv: w.cv,
        st: w.st ?? 'aktif',
        owner_doc_matches: true,
      });
    });
  });
});
