import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { nameSearchQuery } from '../../domain/name-search.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { listBusinesses as listBusinessRows } from './businesses.queries.ts';

let t: TestApp;
let officer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

// Names that begin in every stretch of the name order and on its edges: digits, punctuation,
// capitals, letters outside ASCII, a boundary letter alone and followed by more.
const names = [
  '2 Saudara Batik',
  '(Toko) Batik Aisyah',
  'Abadi Batik',
  'azza batik',
  'B Batik',
  'Batik Berkah',
  'Cahaya Batik',
  'D Batik',
  'Jaya Batik',
  'Kedai Batik',
  'Lestari Batik',
  'Mandiri Batik',
  'Ozora Batik',
  'Pusat Batik',
  'Sinar Batik',
  'Toko Batik',
  'Usaha Batik',
  'Vina Batik',
  'Warung Batik',
  'Zamrud Batik',
  'Élan Batik',
  'Ñoño Batik',
];

describe('a name search page from one stretch of the name order', () => {
  it('numbers the stretches in the name order of the database, whatever the first character', async () => {
    const rows = await queryRows<{ stretch: string }>(
      t.ctx.db,
      sql`select registry_name_stretch(n) as stretch
          from unnest(${sql.raw(`ARRAY[${names.map((n) => `'${n.replace(/'/g, "''")}'`).join(',')}]`)}::text[]) as n
          order by lower(n)`,
    );
    const numbers = rows.map((r) => Number(r.stretch.slice(1)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(9);
  });

  it('pages the same as collecting every match, page after page across stretches', async () => {
    for (const name of names) {
      await createBusiness(t, officer.cookie, { name, ownerName: 'Pemilik Usaha' });
    }
    // two businesses found by their owner's name only
    await createBusiness(t, officer.cookie, { name: 'Kios Sembako', ownerName: 'Batik Rahayu' });
    await createBusiness(t, officer.cookie, { name: 'Warung Sate', ownerName: 'Batik Rahayu' });
    const pages = async (tuning: { stretchFrom: number }) => {
      const seen: string[] = [];
      let after: [string, string] | null = null;
      for (let i = 0; i < 30; i++) {
        const rows = await listBusinessRows(
          t.ctx.db,
          {},
          { nameQuery: nameSearchQuery('batik') ?? '' },
          { limit: 2, after },
          tuning,
        );
        seen.push(...rows.slice(0, 2).map((r) => r.business.name));
        const last = rows[1];
        if (rows.length <= 2 || !last) break;
        after = [last.sortKey, last.business.id];
      }
      return seen;
    };
    const collected = await pages({ stretchFrom: Number.POSITIVE_INFINITY });
    expect(collected).toHaveLength(names.length + 2);
    expect(collected).toContain('Kios Sembako');
    expect(await pages({ stretchFrom: 0 })).toEqual(collected);
  });
});
