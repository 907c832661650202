import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { nameKey, nameKeySql, plainNameKey } from '../../domain/dedup.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, type TestApp } from '../../testing/harness.ts';
import { insertPeopleSet, updatePeopleSet } from './businesses.service.ts';

// people.name_key: given by the import for plain ASCII names (plainNameKey, computed in Node),
// computed by the trigger people_name_key for every other write. Either way it must be what
// nameKey() answers, which duplicate detection relies on.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

// ASCII names that exercise every step (titles, degrees, folds, doubled letters, synonyms), and
// names that are not plain ASCII.
const asciiNames = [
  'Hj. SITI  Aminah, S.Pd',
  'M.Rizki',
  'Rizki M.',
  "Ma'ruf",
  'Ibu',
  'Dr. Ir. H. Budi, M.M.',
  'Agus SPd',
  'ACHMAD DJOENAEDI',
  'Sdr.Aisyah',
  'Mohammad Yusup Tjahjono',
  'Nurul Sjahrir Dhani Amd.Keb',
  'Bapak  Theresia   Phillipus',
  '123',
];
const otherNames = ['Ěva Ñoño', 'Ma’ruf Amin', 'Siti\u00a0Aminah', 'Dewi Sri Ayu Lestari 李'];

let serial = 7000;
const nextNik = () =>
  generateNik({ kecamatanCode: '62.71.02', birthDate: '1985-04-12', sex: 'P', serial: serial++ });

describe('people.name_key', () => {
  it('is computed by the trigger with the very expression of nameKeySql()', async () => {
    const [fn] = await queryRows<{ body: string }>(
      t.ctx.db,
      sql`select prosrc as body from pg_proc where proname = 'people_name_key'`,
    );
    // A change of the name key's steps must come with a migration that replaces the trigger.
    expect(fn?.body).toContain(`NEW.name_key := ${nameKeySql('NEW.name')};`);
  });

  it('gives the key in Node only where nameKey() and the database agree', async () => {
    const computed = await queryRows<{ k: string }>(
      t.ctx.db,
      sql`select ${sql.raw(nameKeySql('n'))} as k
          from unnest(${`{${asciiNames.map((n) => `"${n.replaceAll('"', '"')}"`).join(',')}}`}::text[])
            with ordinality as u(n, i) order by i`,
    );
    expect(asciiNames.map(plainNameKey)).toEqual(computed.map((r) => r.k));
    expect(otherNames.map(plainNameKey)).toEqual(otherNames.map(() => null));
  });

  it('is stored as nameKey() answers, whoever computed it, on insert and on a change of name', async () => {
    const names = [...asciiNames, ...otherNames];
    const inserted = await insertPeopleSet(
      t.ctx.db,
      names.map((name) => ({ nik: nextNik(), pn: name, sx: 'P', bd: '1985-04-12', ph: null, ad: null })),
    );
    const ids = inserted.map((r) => r.id);
    const stored = await queryRows<{ name: string; key: string }>(
      t.ctx.db,
      sql`select name, name_key as key from people where id = any(${`{${ids.join(',')}}`}::uuid[])`,
    );
    expect(stored.length).toBe(names.length);
    expect(stored.filter((p) => p.key !== nameKey(p.name))).toEqual([]);

    // a change of name through the import's update, which gives no key: the trigger recomputes it
    const renamed = inserted.map((r, i) => ({
      id: r.id,
      pn: names[(i + 1) % names.length] ?? 'x',
      sx: null,
      bd: null,
      ph: null,
      ad: null,
    }));
    await updatePeopleSet(t.ctx.db, renamed);
    const after = await queryRows<{ name: string; key: string }>(
      t.ctx.db,
      sql`select name, name_key as key from people where id = any(${`{${ids.join(',')}}`}::uuid[])`,
    );
    expect(after.filter((p) => p.key !== nameKey(p.name))).toEqual([]);
  });

  it('is computed by the database when a writer leaves it out', async () => {
    const [row] = await queryRows<{ key: string }>(
      t.ctx.db,
      sql`insert into people (nik, name) values (${nextNik()}, 'Hj. Nur  Hidayah, S.Pd.I') returning name_key as key`,
    );
    expect(row?.key).toBe(nameKey('Hj. Nur  Hidayah, S.Pd.I'));
  });
});
