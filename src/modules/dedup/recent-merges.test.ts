import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupDecisions } from '../../db/schema.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { mergeUndoDays } from './dedup.service.ts';

// GET /dedup/merges: the merges that can still be undone, for the web app's "Batalkan". Scoped
// like the undo itself, paged exactly, logged as a view of personal data.

let t: TestApp;
let officer: TestUser;
let jekanRaya: TestUser;
let sopd: TestUser;

const post = (cookie: string, path: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1${path}`, headers: { cookie }, payload });
const get = (cookie: string, path: string) => t.app.inject({ url: `/api/v1${path}`, headers: { cookie } });

async function mergedPair(name: string, survivorRegion: string, duplicateRegion: string) {
  const survivor = await createBusiness(t, officer.cookie, { regionCode: survivorRegion, ownerName: name });
  const duplicate = await createBusiness(t, officer.cookie, { regionCode: duplicateRegion, ownerName: name });
  const merge = await post(officer.cookie, '/dedup/merge', {
    survivorId: survivor.owner.id,
    duplicateId: duplicate.owner.id,
  });
  expect(merge.statusCode, merge.body).toBe(200);
  return { survivorId: survivor.owner.id, duplicateId: duplicate.owner.id, businessId: duplicate.id };
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  jekanRaya = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  sopd = await createUser(t, 'sopd_officer');
});
afterAll(async () => t?.close());

describe('GET /dedup/merges', () => {
  it('lists a merge with both people masked and the moved business, until it is undone', async () => {
    const pair = await mergedPair('Sri Wahyuni', '62.71.02.1004', '62.71.02.1004');
    const list = await get(officer.cookie, '/dedup/merges?limit=50');
    expect(list.statusCode, list.body).toBe(200);
    const item = list
      .json()
      .items.find((i: { duplicate: { id: string } }) => i.duplicate.id === pair.duplicateId);
    expect(item).toMatchObject({
      survivor: { id: pair.survivorId, name: 'Sri Wahyuni' },
      businesses: [{ id: pair.businessId }],
    });
    expect(item.duplicate.nik).toMatch(/\*/);
    expect(new Date(item.undoUntil).getTime() - new Date(item.mergedAt).getTime()).toBe(
      mergeUndoDays * 86_400_000,
    );
    const undo = await post(officer.cookie, '/dedup/merge/undo', {
      survivorId: pair.survivorId,
      duplicateId: pair.duplicateId,
    });
    expect(undo.statusCode, undo.body).toBe(200);
    const after = await get(officer.cookie, '/dedup/merges?limit=50');
    expect(after.json().items.map((i: { duplicate: { id: string } }) => i.duplicate.id)).not.toContain(
      pair.duplicateId,
    );
  });

  it('shows a kecamatan officer only the merges they may undo, and no SOPD officer any', async () => {
    const local = await mergedPair('Agus Salim', '62.71.02.1004', '62.71.02.1004');
    const across = await mergedPair('Nur Aini', '62.71.02.1004', '62.71.05.1001');
    const ids = async (cookie: string) =>
      (await get(cookie, '/dedup/merges?limit=100'))
        .json()
        .items.map((i: { duplicate: { id: string } }) => i.duplicate.id);
    expect(await ids(officer.cookie)).toEqual(
      expect.arrayContaining([local.duplicateId, across.duplicateId]),
    );
    const kecamatan = await ids(jekanRaya.cookie);
    expect(kecamatan).toContain(local.duplicateId);
    expect(kecamatan).not.toContain(across.duplicateId);
    expect((await get(sopd.cookie, '/dedup/merges')).statusCode).toBe(403);
  });

  it('leaves out merges past the undo period', async () => {
    const old = await mergedPair('Bambang Irawan', '62.71.02.1004', '62.71.02.1004');
    await t.ctx.db
      .update(dedupDecisions)
      .set({ decidedAt: sql`now() - make_interval(days => ${mergeUndoDays + 1})` })
      .where(
        and(
          eq(dedupDecisions.decision, 'merged'),
          sql`${dedupDecisions.undo}->>'duplicateId' = ${old.duplicateId}`,
        ),
      );
    const items = (await get(officer.cookie, '/dedup/merges?limit=100')).json().items;
    expect(items.map((i: { duplicate: { id: string } }) => i.duplicate.id)).not.toContain(old.duplicateId);
  });

  it('pages through merges of the same microsecond each once, and logs each page', async () => {
    const pairs = [];
    for (const name of ['Dewi A', 'Dewi B', 'Dewi C'])
      pairs.push(await mergedPair(name, '62.71.02.1004', '62.71.02.1004'));
    // the same instant for all three, microseconds included: the cursor must tell them apart
    await t.ctx.db
      .update(dedupDecisions)
      .set({
        decidedAt: sql`date_trunc('second', now()) - interval '1 day' + interval '123456 microseconds'`,
      })
      .where(
        sql`${dedupDecisions.undo}->>'duplicateId' in (${sql.join(
          pairs.map((p) => sql`${p.duplicateId}`),
          sql`, `,
        )})`,
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(officer.cookie, `/dedup/merges?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((i: { duplicate: { id: string } }) => i.duplicate.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    for (const p of pairs) expect(seen.filter((id) => id === p.duplicateId)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
    const logged = (await t.ctx.db.execute(
      sql`select count(*)::int as n from personal_data_access where subject = 'dedup:merges'`,
    )) as unknown as { rows: { n: number }[] };
    expect(logged.rows[0]?.n).toBeGreaterThanOrEqual(seen.length);
  });

  it('refuses a tampered cursor with validation_failed', async () => {
    const bad = Buffer.from(JSON.stringify(['not a date', 'x', 'y'])).toString('base64url');
    const res = await get(officer.cookie, `/dedup/merges?cursor=${bad}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });
});
