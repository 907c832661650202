import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRecords, dedupReasons, nameKey, scorePair } from '../../domain/dedup.ts';
import { generateNik } from '../../domain/nik.ts';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { generatePeople, insertGeneratedPeople } from '../../testing/people-generator.ts';
import { computeNameKeys, findCandidatePairs } from './dedup.queries.ts';
import { type DedupPair, dedupReason } from './dedup.schema.ts';

let t: TestApp;
let officer: TestUser;
let sopd: TestUser;
let kecBukitBatu: TestUser;
let kecRakumpit: TestUser;
let generated: ReturnType<typeof generatePeople>;
let ids: string[];

type Rows<T> = { rows: T[] };
const rows = async <T>(query: ReturnType<typeof sql>) =>
  ((await t.ctx.db.execute(query)) as unknown as Rows<T>).rows;
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  sopd = await createUser(t, 'sopd_officer');
  kecBukitBatu = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  kecRakumpit = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
  generated = generatePeople({ count: 2000, seed: 2020 });
  ids = await insertGeneratedPeople(t.ctx.db, generated);
});
afterAll(async () => t?.close());

describe('duplicate detection on generated people', () => {
  it('finds second registrations with precision ≥ 0.97 and recall ≥ 0.95, and leaves households alone', async () => {
    const proposed = await findCandidatePairs(t.ctx.db);
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
  });

  it('scores in the database exactly as the domain does', async () => {
    const proposed = await findCandidatePairs(t.ctx.db, { threshold: 0.3 });
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
    }>(
      sql`select p.id, p.nik, p.name, p.sex, p.birth_date::text, p.phone, p.address,
        array(select region_code from businesses b where b.owner_id = p.id) as kelurahan from people p`,
    );
    const byId = new Map(people.map((p) => [p.id, { ...p, birthDate: p.birth_date }]));
    for (const { a, b, score: _score, ...features } of proposed.slice(0, 300)) {
      const [pa, pb] = [byId.get(a), byId.get(b)];
      if (!pa || !pb) throw new Error(`pair ${a} ${b} not stored`);
      const measured = compareRecords(pa, pb, { nameFrequency: features.nameFrequency });
      expect(measured).toEqual(features);
    }

    const names = [
      ...generated.people.map((p) => p.name),
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
    expect(await computeNameKeys(t.ctx.db, names)).toEqual(names.map(nameKey));
  });
});

const get = (cookie: string, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: { cookie } });
const post = (cookie: string, url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload: payload as object });

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

async function allCandidates(cookie: string) {
  const items: DedupPair[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(
      cookie,
      `/dedup/candidates?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
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
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeDefined();
    const res = await post(officer.cookie, '/dedup/dismiss', { a: y.personId, b: x.personId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().decision).toBe('not_same');
    expect(findPair(await allCandidates(officer.cookie), x.personId, y.personId)).toBeUndefined();
    const audit = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'dedup_decision' and action = 'dismiss'`,
    );
    expect(audit[0]?.n).toBe(1);
  });

  it('merges: businesses move to the survivor, the duplicate stays as history, all audited', async () => {
    const res = await post(officer.cookie, '/dedup/merge', {
      survivorId: rizki.personId,
      duplicateId: rizkiAgain.personId,
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json();
    // Both had "Warung Makan Rizki": the moved one is kept under another name.
    expect(result.businesses).toEqual([
      { id: rizkiAgain.businessId, name: 'Warung Makan Rizki (2)', renamedFrom: 'Warung Makan Rizki' },
    ]);
    const moved = (await get(officer.cookie, `/businesses/${rizkiAgain.businessId}`)).json();
    expect(moved.owner.id).toBe(rizki.personId);
    const [person] = await rows<{ merged_into: string }>(
      sql`select merged_into from people where id = ${rizkiAgain.personId}`,
    );
    expect(person?.merged_into).toBe(rizki.personId);
    const audit = await rows<{
      entity: string;
      entity_id: string;
      before: { ownerId?: string };
      after: { ownerId?: string };
    }>(sql`select entity, entity_id, before, after from audit_log where action = 'merge' order by id`);
    expect(audit.map((a) => a.entity)).toEqual(['business', 'person', 'dedup_decision']);
    expect(audit[0]?.before.ownerId).toBe(rizkiAgain.personId);
    expect(audit[0]?.after.ownerId).toBe(rizki.personId);
    const [decision] = await rows<{ decision: string; decided_by: string }>(
      sql`select decision, decided_by from dedup_decisions where decision = 'merged'`,
    );
    expect(decision?.decision).toBe('merged');
    expect(decision?.decided_by).toBe(officer.id);

    expect(
      findPair(await allCandidates(officer.cookie), rizki.personId, rizkiAgain.personId),
    ).toBeUndefined();
    const again = await post(officer.cookie, '/dedup/merge', {
      survivorId: rizki.personId,
      duplicateId: rizkiAgain.personId,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
  });

  it('uses the reason codes of the domain', () => {
    expect(dedupReason.options).toEqual([...dedupReasons]);
  });
});
