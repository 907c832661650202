import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { dedupReport } from '../../cli/dedup.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { businessKey, compareRecords, dedupReasons, nameKey, scorePair } from '../../domain/dedup.ts';
import { generateNik } from '../../domain/nik.ts';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { generatePeople, insertGeneratedPeople } from '../../testing/people-generator.ts';
import { claimJob, runNextJob, workerId } from '../jobs/jobs.service.ts';
import { computeNameKeys, findCandidatePairs } from './dedup.queries.ts';
import { type DedupPair, type DedupStatus, dedupReason } from './dedup.schema.ts';
import { enqueueDedupRun } from './dedup.service.ts';

let t: TestApp;
let officer: TestUser;
let sopd: TestUser;
let kecBukitBatu: TestUser;
let kecRakumpit: TestUser;
let generated: ReturnType<typeof generatePeople>;

const rows = <T>(query: SQL, on: TestApp = t) => queryRows<T>(on.ctx.db, query);
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  sopd = await createUser(t, 'sopd_officer');
  kecBukitBatu = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  kecRakumpit = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
  generated = generatePeople({ count: 2000, seed: 2020 });
  await insertGeneratedPeople(t.ctx.db, generated);
});
afterAll(async () => t?.close());

const trickyNames = [
  'Hj. SITI  Aminah, S.Pd',
  'M.Rizki',
  'Rizki M.',
  "Ma'ruf",
  'Ibu',
  '   ',
  'Dr. Ir. H. Budi, M.M.',
  'Agus SPd',
  'ACHMAD DJOENAEDI',
  'Ěva Ñoño',
  'Sdr.Aisyah',
];

describe('duplicate detection on generated people', () => {
  // A database holding the generated people only: the other `it`s register duplicates of their
  // own, which the generator's truth does not list, so precision would count them as false.
  let gen: TestApp;
  let ids: string[];
  beforeAll(async () => {
    gen = await createTestApp();
    ids = await insertGeneratedPeople(gen.ctx.db, generated);
  });
  afterAll(async () => gen?.close());

  it('finds second registrations with precision ≥ 0.97 and recall ≥ 0.95, and leaves households alone', async () => {
    const proposed = await findCandidatePairs(gen.ctx.db);
    const truth = new Set(generated.duplicates.map(([i, j]) => pairKey(ids[i] as string, ids[j] as string)));
    const households = new Set(
      generated.householdPairs.map(([i, j]) => pairKey(ids[i] as string, ids[j] as string)),
    );
    const found = proposed.map((p) => pairKey(p.a, p.b));
    const truePositives = found.filter((k) => truth.has(k)).length;
    const precision = truePositives / found.length;
    const recall = truePositives / truth.size;
    expect(truth.size).toBeGreaterThan(60);
    expect(precision, `precision ${precision}`).toBeGreaterThanOrEqual(0.97);
    expect(recall, `recall ${recall}`).toBeGreaterThanOrEqual(0.95);
    const householdsProposed = found.filter((k) => households.has(k)).length;
    expect(households.size).toBeGreaterThan(500);
    expect(householdsProposed / households.size).toBeLessThan(0.005);
    // People who moved to another kecamatan with a new NIK are found; namesakes mostly are not.
    const keys = (pairs: [number, number][]) =>
      pairs.map(([i, j]) => pairKey(ids[i] as string, ids[j] as string));
    const proposedSet = new Set(found);
    const moved = keys(generated.movedPairs);
    const namesakes = keys(generated.namesakePairs);
    expect(moved.length).toBeGreaterThan(20);
    expect(moved.filter((k) => proposedSet.has(k)).length / moved.length).toBeGreaterThanOrEqual(0.9);
    expect(namesakes.length).toBeGreaterThan(20);
    // (Proposed are those born the same day whose business has the same KBLI and name, "Warung
    // Makan Rony" and "Warung Makan Rony": 2.4 % of namesakes at 100,000 people.)
    expect(namesakes.filter((k) => proposedSet.has(k)).length / namesakes.length).toBeLessThanOrEqual(0.08);
  });

  it('scores in the database exactly as the domain does', async () => {
    const proposed = await findCandidatePairs(gen.ctx.db, { threshold: 0.3 });
    expect(proposed.length).toBeGreaterThan(50);
    for (const { a: _a, b: _b, score, ...features } of proposed)
      expect(scorePair(features).score).toBe(score);

    // The features too, measured in memory from the stored records.
    const people = await rows<{
      id: string;
      nik: string;
      name: string;
      sex: 'L' | 'P';
      birth_date: string;
      phone: string;
      address: string;
      kelurahan: string[];
      trades: { kbli: string | null; name: string }[];
    }>(
      sql`select p.id, p.nik, p.name, p.sex, p.birth_date::text, p.phone, p.address,
        array(select region_code from businesses b where b.owner_id = p.id) as kelurahan,
        coalesce((select json_agg(json_build_object('kbli', b.kbli, 'name', b.name)) from businesses b
          where b.owner_id = p.id), '[]') as trades
        from people p`,
      gen,
    );
    const byId = new Map(
      people.map((p) => [
        p.id,
        { ...p, birthDate: p.birth_date, businesses: p.trades.map((b) => businessKey(b.kbli, b.name)) },
      ]),
    );
    for (const { a, b, score: _score, ...features } of proposed.slice(0, 300)) {
      const [pa, pb] = [byId.get(a), byId.get(b)];
      if (!pa || !pb) throw new Error(`pair ${a} ${b} not stored`);
      const measured = compareRecords(pa, pb, {
        nameFrequency: features.nameFrequency,
        householdMoved: features.householdMoved,
      });
      expect(measured).toEqual(features);
    }

    const names = [...generated.people.map((p) => p.name), ...trickyNames];
    expect(await computeNameKeys(gen.ctx.db, names)).toEqual(names.map(nameKey));
  });

  it('stores every name key as the domain computes it (people.name_key, written by the database)', async () => {
    const stored = await rows<{ name: string; name_key: string }>(
      sql`select name, name_key from people`,
      gen,
    );
    expect(stored.length).toBeGreaterThanOrEqual(generated.people.length);
    const wrong = stored.filter((p) => p.name_key !== nameKey(p.name));
    expect(wrong).toEqual([]);
    // And again after a change of name.
    const nik = generateNik({ kecamatanCode: '62.71.01', birthDate: '1990-01-01', sex: 'P', serial: 9999 });
    const [person] = await rows<{ id: string; name_key: string }>(
      sql`insert into people (nik, name) values (${nik}, 'Siti Aminah') returning id, name_key`,
      gen,
    );
    expect(person?.name_key).toBe('siti aminah');
    await gen.ctx.db.execute(
      sql`update people set name = 'Hj. SITI  Aminah Lubis, S.Pd' where id = ${person?.id}`,
    );
    const [changed] = await rows<{ name_key: string }>(
      sql`select name_key from people where id = ${person?.id}`,
      gen,
    );
    expect(changed?.name_key).toBe('siti aminah lubis');
    for (const name of trickyNames) {
      await gen.ctx.db.execute(sql`update people set name = ${name} where id = ${person?.id}`);
      const [row] = await rows<{ name_key: string }>(
        sql`select name_key from people where id = ${person?.id}`,
        gen,
      );
      expect(row?.name_key, name).toBe(nameKey(name));
    }
    await gen.ctx.db.execute(sql`delete from people where id = ${person?.id}`);
  });
});

// `on`: the app of an `it` that needs a database of its own.
const get = (cookie: string, url: string, on: TestApp = t) =>
  on.app.inject({ url: `/api/v1${url}`, headers: { cookie } });
const post = (cookie: string, url: string, payload: unknown, on: TestApp = t) =>
  on.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload: payload as object });

type Registration = {
  nik: string;
  name: string;
  sex: 'L' | 'P';
  birthDate: string;
  phone?: string;
  address?: string;
  regionCode?: string;
  business?: string;
};

async function register(person: Registration) {
  const body = businessBody({ regionCode: person.regionCode ?? '62.71.02.1004', name: person.business });
  const res = await post(officer.cookie, '/businesses', {
    ...body,
    owner: {
      nik: person.nik,
      name: person.name,
      sex: person.sex,
      birthDate: person.birthDate,
      phone: person.phone ?? null,
      address: person.address ?? 'Jl. Tjilik Riwut Km 12 No. 7',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const item = res.json() as { id: string; owner: { id: string } };
  return { businessId: item.id, personId: item.owner.id };
}

async function allCandidates(cookie: string, on: TestApp = t) {
  const items: DedupPair[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(
      cookie,
      `/dedup/candidates?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      on,
    );
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: DedupPair[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const findPair = (items: DedupPair[], x: string, y: string) =>
  items.find((p) => pairKey(p.a.id, p.b.id) === pairKey(x, y));

// "Recompute" as the review page does it, and the worker of `pulih serve` running the job.
async function recompute() {
  const res = await post(officer.cookie, '/dedup/runs', {});
  expect(res.statusCode, res.body).toBe(202);
  expect(await runNextJob(t.ctx, workerId('test'))).toBe(true);
  const status = (await get(officer.cookie, '/dedup/status')).json() as DedupStatus;
  expect(status.run).toBeNull();
  expect(status.lastRun?.status).toBe('succeeded');
  return status;
}

const storedPairs = async (personId: string) =>
  rows<{ a: string; b: string }>(
    sql`select person_a as a, person_b as b from dedup_candidates where ${personId}::uuid in (person_a, person_b)`,
  );

describe('detection runs', () => {
  it('says the queue was never computed until a run has finished', async () => {
    // A database of its own: in the file's, a run has finished once any `it` that recomputes has run.
    const own = await createTestApp();
    onTestFinished(() => own.close());
    const reviewer = await createUser(own, 'program_officer');
    const status = await get(reviewer.cookie, '/dedup/status', own);
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toEqual({ computedAt: null, expectedSeconds: null, run: null, lastRun: null });
    expect((await get(reviewer.cookie, '/dedup/candidates', own)).json().items).toEqual([]);
  });

  it('queues one run however often it is asked for; the worker stores what detection finds', async () => {
    // A database of its own holding the generated people: it expects no run to have finished yet.
    const own = await createTestApp();
    onTestFinished(() => own.close());
    const reviewer = await createUser(own, 'program_officer');
    const kecamatan = await createUser(own, 'kecamatan_officer', { regionCode: '62.71.02' });
    await insertGeneratedPeople(own.ctx.db, generated);
    const first = await post(reviewer.cookie, '/dedup/runs', {}, own);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ kind: 'dedup', status: 'queued' });
    const again = await post(kecamatan.cookie, '/dedup/runs', {}, own);
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(first.json().id);
    const queued = (await get(reviewer.cookie, '/dedup/status', own)).json() as DedupStatus;
    expect(queued.run?.id).toBe(first.json().id);
    expect(queued.computedAt).toBeNull();

    expect(await runNextJob(own.ctx, workerId('test'))).toBe(true);
    const status = (await get(reviewer.cookie, '/dedup/status', own)).json() as DedupStatus;
    expect(status.run).toBeNull();
    const people = (await rows<{ n: number }>(sql`select count(*)::int as n from people`, own))[0]?.n;
    expect(status.lastRun).toMatchObject({
      id: first.json().id,
      status: 'succeeded',
      progress: { done: people, total: people },
    });
    expect(status.computedAt).not.toBeNull();
    expect(status.expectedSeconds).toBeGreaterThan(0);

    const [stored] = await rows<{ n: number; first: string; last: string }>(
      sql`select count(*)::int as n, min(computed_at)::text as first, max(computed_at)::text as last
        from dedup_candidates`,
      own,
    );
    expect(stored?.n).toBe((status.lastRun?.result as { pairs?: number } | null)?.pairs);
    expect(stored?.n).toBeGreaterThan(60);
    expect(stored?.first).toBe(stored?.last);
    expect(new Date(stored?.first ?? '').getTime()).toBe(new Date(status.computedAt ?? '').getTime());
    const pages = await allCandidates(reviewer.cookie, own);
    const found = await findCandidatePairs(own.ctx.db);
    expect(pages.map((p) => pairKey(p.a.id, p.b.id))).toEqual(found.map((p) => pairKey(p.a, p.b)));
    expect(pages.map((p) => p.score)).toEqual(found.map((p) => p.score));
  });

  it('reads pages from the table: people registered after a run are proposed after the next one', async () => {
    const nik = generateNik({ kecamatanCode: '62.71.02', birthDate: '1981-09-23', sex: 'L', serial: 9401 });
    const person = {
      name: 'Agustinus Rangkap',
      sex: 'L' as const,
      birthDate: '1981-09-23',
      phone: '081244440001',
    };
    const x = await register({ ...person, nik });
    const y = await register({ ...person, nik: `${nik.slice(0, 15)}${(Number(nik[15]) + 1) % 10}` });
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeUndefined();
    const before = (await get(officer.cookie, '/dedup/status')).json() as DedupStatus;
    const after = await recompute();
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeDefined();
    expect(new Date(after.computedAt ?? 0).getTime()).toBeGreaterThan(
      new Date(before.computedAt ?? 0).getTime(),
    );

    // What is stored is what a page shows, whatever detection would say now.
    await t.ctx.db.execute(
      sql`delete from dedup_candidates where person_a = least(${x.personId}::uuid, ${y.personId}::uuid)`,
    );
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeUndefined();
    await recompute();
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeDefined();
  });

  it('shares a queued run; a run in progress does not stand in for one that starts later', async () => {
    const queued = await enqueueDedupRun(t.ctx, null);
    expect((await enqueueDedupRun(t.ctx, null)).id).toBe(queued.id);
    const running = await claimJob(t.ctx, workerId('elsewhere'));
    expect(running?.id).toBe(queued.id);
    // Asked for after a change (an import), while that run may have started before it.
    const next = await enqueueDedupRun(t.ctx, null);
    expect(next.id).not.toBe(queued.id);
    expect(next.status).toBe('queued');
    expect((await enqueueDedupRun(t.ctx, null)).id).toBe(next.id);
    // The page's button is content with the run in progress.
    expect((await post(officer.cookie, '/dedup/runs', {})).json().id).toBe(queued.id);
    const status = (await get(officer.cookie, '/dedup/status')).json() as DedupStatus;
    expect(status.run).toMatchObject({ id: queued.id, status: 'running' });
    // A stopped run goes back to the queue beside the newer one.
    await t.ctx.db.execute(sql`update jobs set status = 'queued', locked_by = null where id = ${queued.id}`);
    await t.ctx.db.execute(
      sql`update jobs set status = 'cancelled', locked_by = null where kind = 'dedup' and status in ('queued', 'running')`,
    );
  });

  it('lets only roles that may see personal data ask for a run or its status', async () => {
    expect((await get(sopd.cookie, '/dedup/status')).statusCode).toBe(403);
    expect((await post(sopd.cookie, '/dedup/runs', {})).statusCode).toBe(403);
    expect((await post(sopd.cookie, '/dedup/runs', {})).json().error.code).toBe('forbidden');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/dedup/runs' })).statusCode).toBe(401);
  });

  it('describes the status and the runs in OpenAPI', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/dedup/status', '/dedup/runs']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['DedupStatus', 'Job']));
  });
});

describe('review queue', () => {
  const nik = (birthDate: string, sex: 'L' | 'P', serial: number, kecamatanCode = '62.71.02') =>
    generateNik({ kecamatanCode, birthDate, sex, serial });
  let rizki: { personId: string; businessId: string };
  let rizkiAgain: { personId: string; businessId: string };
  let family: { personId: string }[];
  let rizkiNik: string;

  beforeAll(async () => {
    rizkiNik = nik('1984-06-17', 'L', 9012);
    rizki = await register({
      nik: rizkiNik,
      name: 'Muhammad Rizki Saputra',
      sex: 'L',
      birthDate: '1984-06-17',
      phone: '081234560001',
      business: 'Warung Makan Rizki',
    });
    // Registered again: a title, Muhammad abbreviated, the last two NIK digits swapped.
    rizkiAgain = await register({
      nik: `${rizkiNik.slice(0, 14)}${rizkiNik[15]}${rizkiNik[14]}`,
      name: 'H. M. Rizki Saputra',
      sex: 'L',
      birthDate: '1984-06-17',
      phone: '+62 812 3456 0001',
      business: 'Warung Makan Rizki',
    });
    // A family at one address with one phone: parents, a son born on his father's day and month,
    // and twins (one birth date, NIKs one digit apart) with other names.
    const home = { phone: '081355550000', address: 'Jl. Mahir Mahar No. 21 RT 002/RW 001' };
    family = [
      await register({
        ...home,
        nik: nik('1970-03-12', 'L', 9101),
        name: 'Yohanes Ngabe',
        sex: 'L',
        birthDate: '1970-03-12',
      }),
      await register({
        ...home,
        nik: nik('1972-05-20', 'P', 9102),
        name: 'Maria Ngabe',
        sex: 'P',
        birthDate: '1972-05-20',
      }),
      await register({
        ...home,
        nik: nik('1995-03-12', 'L', 9101),
        name: 'Petrus Ngabe',
        sex: 'L',
        birthDate: '1995-03-12',
      }),
      await register({
        ...home,
        nik: nik('1998-07-07', 'L', 9201),
        name: 'Markus Ngabe',
        sex: 'L',
        birthDate: '1998-07-07',
      }),
      await register({
        ...home,
        nik: nik('1998-07-07', 'L', 9202),
        name: 'Lukas Ngabe',
        sex: 'L',
        birthDate: '1998-07-07',
      }),
    ];
    await recompute();
  });

  it('shows both records side by side with the reasons, NIKs masked, and logs the view', async () => {
    const items = await allCandidates(officer.cookie);
    const pair = findPair(items, rizki.personId, rizkiAgain.personId);
    expect(pair).toBeDefined();
    expect(pair?.reasons).toEqual(
      expect.arrayContaining([
        'nik_transposed',
        'name_variant',
        'same_birth_date',
        'same_phone',
        'same_address',
      ]),
    );
    expect(pair?.score).toBeGreaterThanOrEqual(0.7);
    expect(pair?.nikDifferences).toEqual([14, 15]);
    expect(pair?.a.nik).toMatch(/^\d{4}\*{8}\d{4}$/);
    expect(pair?.a.phone).not.toContain('3456');
    expect(pair?.a.businesses[0]?.kelurahanName).toBe('Tangkiling');
    expect(JSON.stringify(items)).not.toContain(rizkiNik);
    const scores = items.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const logged = await rows<{ n: number }>(
      sql`select count(*)::int as n from personal_data_access where subject = 'dedup:candidates'`,
    );
    expect(logged[0]?.n).toBeGreaterThan(0);
  });

  it('does not propose family members at one address', async () => {
    const items = await allCandidates(officer.cookie);
    const members = new Set(family.map((m) => m.personId));
    expect(items.filter((p) => members.has(p.a.id) && members.has(p.b.id))).toEqual([]);
  });

  it('pages by score without repeating a pair', async () => {
    const first = (await get(officer.cookie, '/dedup/candidates?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const second = (await get(officer.cookie, `/dedup/candidates?limit=3&cursor=${first.nextCursor}`)).json();
    const seen = new Set(first.items.map((p: DedupPair) => pairKey(p.a.id, p.b.id)));
    for (const p of second.items as DedupPair[]) expect(seen.has(pairKey(p.a.id, p.b.id))).toBe(false);
    expect(second.items[0].score).toBeLessThanOrEqual(first.items[2].score);
  });

  it('lets only roles that may see personal data review, a kecamatan officer only its kecamatan', async () => {
    expect((await get(sopd.cookie, '/dedup/candidates')).statusCode).toBe(403);
    expect((await get(sopd.cookie, '/dedup/candidates')).json().error.code).toBe('forbidden');
    expect((await t.app.inject({ url: '/api/v1/dedup/candidates' })).statusCode).toBe(401);
    const ownerUser = await createUser(t, 'owner', { personId: rizki.personId });
    expect((await get(ownerUser.cookie, '/dedup/candidates')).statusCode).toBe(403);
    expect(
      (await post(ownerUser.cookie, '/dedup/dismiss', { a: rizki.personId, b: rizkiAgain.personId }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await post(sopd.cookie, '/dedup/merge', {
          survivorId: rizki.personId,
          duplicateId: rizkiAgain.personId,
        })
      ).statusCode,
    ).toBe(403);

    const local = await allCandidates(kecBukitBatu.cookie);
    expect(findPair(local, rizki.personId, rizkiAgain.personId)).toBeDefined();
    for (const p of local) {
      expect([...p.a.businesses, ...p.b.businesses].some((b) => b.kecamatan === '62.71.02')).toBe(true);
    }
    const elsewhere = await allCandidates(kecRakumpit.cookie);
    expect(findPair(elsewhere, rizki.personId, rizkiAgain.personId)).toBeUndefined();
    const merge = await post(kecRakumpit.cookie, '/dedup/merge', {
      survivorId: rizki.personId,
      duplicateId: rizkiAgain.personId,
    });
    expect(merge.statusCode).toBe(404);
  });

  it('rejects bad input with validation_failed', async () => {
    for (const [url, payload] of [
      ['/dedup/merge', {}],
      ['/dedup/merge', { survivorId: rizki.personId, duplicateId: rizki.personId }],
      ['/dedup/merge', { survivorId: 'x', duplicateId: rizki.personId }],
      ['/dedup/dismiss', { a: rizki.personId }],
      ['/dedup/dismiss', { a: rizki.personId, b: rizki.personId }],
    ] as const) {
      const res = await post(officer.cookie, url, payload);
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    expect((await get(officer.cookie, '/dedup/candidates?cursor=nonsense')).json().error.code).toBe(
      'validation_failed',
    );
    expect((await get(officer.cookie, '/dedup/candidates?limit=0')).json().error.code).toBe(
      'validation_failed',
    );
    const unknown = await post(officer.cookie, '/dedup/dismiss', {
      a: rizki.personId,
      b: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('never proposes a dismissed pair again', async () => {
    const x = await register({
      nik: nik('1979-02-02', 'P', 9301),
      name: 'Siti Rahmah',
      sex: 'P',
      birthDate: '1979-02-02',
      phone: '081377770001',
    });
    const y = await register({
      nik: nik('1979-02-02', 'P', 9302),
      name: 'Siti Rahmah',
      sex: 'P',
      birthDate: '1979-02-02',
      phone: '081377770001',
    });
    await recompute();
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeDefined();
    expect(await storedPairs(x.personId)).toHaveLength(1);
    await t.ctx.db.execute(
      sql`create table stale_pairs as select * from dedup_candidates where ${x.personId}::uuid in (person_a, person_b)`,
    );
    const res = await post(officer.cookie, '/dedup/dismiss', { a: y.personId, b: x.personId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().decision).toBe('not_same');
    expect(await storedPairs(x.personId)).toEqual([]);
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeUndefined();
    // A run that started before the dismissal stores the pair again: it stays out of the queue.
    await t.ctx.db.execute(sql`insert into dedup_candidates select * from stale_pairs`);
    await t.ctx.db.execute(sql`drop table stale_pairs`);
    expect(await storedPairs(x.personId)).toHaveLength(1);
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeUndefined();
    await recompute();
    expect(await storedPairs(x.personId)).toEqual([]);
    const audit = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'dedup_decision' and action = 'dismiss'`,
    );
    expect(audit[0]?.n).toBe(1);
  });

  it('merges: businesses and owner logins move to the survivor, the duplicate stays as history, all audited', async () => {
    // A pair of its own, registered as the Rizki pair of the `beforeAll` is: other `it`s read
    // that pair, so it stays unmerged. Another man (birth date, phone and address of his own).
    const survivorNik = nik('1986-02-11', 'L', 9014);
    const home = { birthDate: '1986-02-11', address: 'Jl. Rajawali No. 3', business: 'Warung Makan Rizki' };
    const survivor = await register({
      ...home,
      nik: survivorNik,
      name: 'Muhammad Rizki Hidayat',
      sex: 'L',
      phone: '081299887766',
    });
    const duplicate = await register({
      ...home,
      nik: `${survivorNik.slice(0, 14)}${survivorNik[15]}${survivorNik[14]}`,
      name: 'H. M. Rizki Hidayat',
      sex: 'L',
      phone: '+62 812 9988 7766',
    });
    // The duplicate has a login of its own (an owner registered under the mistyped NIK), and a
    // third registration pairs with both.
    const ownerAgain = await createUser(t, 'owner', { personId: duplicate.personId });
    const third = await register({
      nik: `${survivorNik.slice(0, 12)}${(Number(survivorNik[12]) + 1) % 10}${survivorNik.slice(13)}`,
      name: 'Muhammad Rizki Hidayat',
      sex: 'L',
      birthDate: home.birthDate,
      phone: '081299887766',
      address: home.address,
      business: 'Toko Rizki',
    });
    await recompute();
    expect(await storedPairs(duplicate.personId)).toHaveLength(2);
    await t.ctx.db.execute(
      sql`create table stale_pairs as select * from dedup_candidates where ${duplicate.personId}::uuid in (person_a, person_b)`,
    );
    const res = await post(officer.cookie, '/dedup/merge', {
      survivorId: survivor.personId,
      duplicateId: duplicate.personId,
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json();
    // Both had "Warung Makan Rizki": the moved one is kept under another name.
    expect(result.businesses).toEqual([
      { id: duplicate.businessId, name: 'Warung Makan Rizki (2)', renamedFrom: 'Warung Makan Rizki' },
    ]);
    const moved = (await get(officer.cookie, `/businesses/${duplicate.businessId}`)).json();
    expect(moved.owner.id).toBe(survivor.personId);
    const [person] = await rows<{ merged_into: string }>(
      sql`select merged_into from people where id = ${duplicate.personId}`,
    );
    expect(person?.merged_into).toBe(survivor.personId);
    const audit = await rows<{
      entity: string;
      entity_id: string;
      before: { ownerId?: string; personId?: string };
      after: { ownerId?: string; personId?: string };
    }>(sql`select entity, entity_id, before, after from audit_log where action = 'merge' order by id`);
    expect(audit.map((a) => a.entity)).toEqual(['business', 'user', 'person', 'dedup_decision']);
    expect(audit[0]?.before.ownerId).toBe(duplicate.personId);
    expect(audit[0]?.after.ownerId).toBe(survivor.personId);
    const [login] = await rows<{ person_id: string }>(
      sql`select person_id from users where id = ${ownerAgain.id}`,
    );
    expect(login?.person_id).toBe(survivor.personId);
    const userAudit = audit[1];
    expect(userAudit).toMatchObject({
      entity_id: ownerAgain.id,
      before: { personId: duplicate.personId },
      after: { personId: survivor.personId },
    });
    // The owner's session follows: the moved business is still theirs.
    expect((await get(ownerAgain.cookie, `/businesses/${duplicate.businessId}`)).statusCode).toBe(200);

    // Every pair of the duplicate leaves the queue, and stays out when a run that started before
    // the merge stores them again.
    expect(await storedPairs(duplicate.personId)).toEqual([]);
    await t.ctx.db.execute(sql`insert into dedup_candidates select * from stale_pairs`);
    await t.ctx.db.execute(sql`drop table stale_pairs`);
    const stale = await allCandidates(officer.cookie);
    expect(stale.some((p) => p.a.id === duplicate.personId || p.b.id === duplicate.personId)).toBe(false);
    expect(findPair(stale, survivor.personId, third.personId)).toBeDefined();
    const [decision] = await rows<{ decision: string; decided_by: string }>(
      sql`select decision, decided_by from dedup_decisions where decision = 'merged'`,
    );
    expect(decision?.decision).toBe('merged');
    expect(decision?.decided_by).toBe(officer.id);

    expect(
      findPair(await allCandidates(officer.cookie), survivor.personId, duplicate.personId),
    ).toBeUndefined();
    const again = await post(officer.cookie, '/dedup/merge', {
      survivorId: survivor.personId,
      duplicateId: duplicate.personId,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
  });

  it('uses the reason codes of the domain', () => {
    expect(dedupReason.options).toEqual([...dedupReasons]);
  });
});

describe('pulih dedup', () => {
  it('runs detection, stores it, and prints {"pairs": [...]} with full NIKs and refs', async () => {
    const nik = generateNik({ kecamatanCode: '62.71.05', birthDate: '1966-12-01', sex: 'P', serial: 9501 });
    const person = {
      name: 'Rosalina Bungai',
      sex: 'P' as const,
      birthDate: '1966-12-01',
      phone: '081255550001',
    };
    const x = await register({ ...person, nik, regionCode: '62.71.05.1001' });
    const y = await register({
      ...person,
      nik: `${nik.slice(0, 15)}${(Number(nik[15]) + 1) % 10}`,
      regionCode: '62.71.05.1001',
      name: 'Rosalina Bungai, S.Pd',
    });
    const before = (await get(officer.cookie, '/dedup/status')).json() as DedupStatus;

    const { text } = await dedupReport(t.ctx, { json: true });
    const out = JSON.parse(text) as {
      pairs: { a: Record<string, unknown>; b: Record<string, unknown>; score: number; reasons: string[] }[];
    };
    expect(Object.keys(out)).toEqual(['pairs']);
    const found = await findCandidatePairs(t.ctx.db);
    expect(out.pairs.map((p) => pairKey(String(p.a.id), String(p.b.id)))).toEqual(
      found.map((p) => pairKey(p.a, p.b)),
    );
    expect(out.pairs.map((p) => p.score)).toEqual(found.map((p) => p.score));
    for (const pair of out.pairs) {
      expect(Object.keys(pair)).toEqual(['a', 'b', 'score', 'reasons']);
      for (const side of [pair.a, pair.b]) {
        expect(Object.keys(side)).toEqual(['id', 'nik', 'ref']);
        expect(side.nik).toMatch(/^\d{16}$/);
      }
      expect(pair.reasons.length).toBeGreaterThan(0);
      for (const reason of pair.reasons) expect(dedupReasons).toContain(reason);
    }
    const pair = out.pairs.find(
      (p) => pairKey(String(p.a.id), String(p.b.id)) === pairKey(x.personId, y.personId),
    );
    expect(pair?.reasons).toEqual(
      expect.arrayContaining(['nik_one_digit', 'name_variant', 'same_birth_date']),
    );
    expect([pair?.a.nik, pair?.b.nik]).toContain(nik);

    // The run is the review queue's too.
    const after = (await get(officer.cookie, '/dedup/status')).json() as DedupStatus;
    expect(new Date(after.computedAt ?? 0).getTime()).toBeGreaterThan(
      new Date(before.computedAt ?? 0).getTime(),
    );
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeDefined();

    const table = (await dedupReport(t.ctx, { json: false })).text;
    expect(table.split('\n')[0]).toMatch(/^score\s+A\s+B\s+reasons$/);
    expect(table).not.toContain(nik);
  });
});
