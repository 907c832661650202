// People registered in two kecamatan: a new NIK there that shares only the birth date and sex
// (digits 7–12), the name in another spelling or order, a phone, a business or a household that
// moved along; and namesakes, other people, who must not be proposed.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businesses, people } from '../../db/schema.ts';
import { generateNik } from '../../domain/nik.ts';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { runNextJob, workerId } from '../jobs/jobs.service.ts';
import type { DedupPair } from './dedup.schema.ts';

let t: TestApp;
let officer: TestUser;
let bukitBatuOfficer: TestUser;

const get = (cookie: string, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: { cookie } });
const post = (cookie: string, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload });

type Registration = {
  kecamatan: string; // of the NIK and of the business's kelurahan
  serial: number;
  name: string;
  sex: 'L' | 'P';
  birthDate: string;
  phone?: string | null;
  address: string;
  business?: string;
};

// A kelurahan of each kecamatan of Palangka Raya.
const kelurahanOf: Record<string, string> = {
  '62.71.01': '62.71.01.1002',
  '62.71.02': '62.71.02.1004',
  '62.71.03': '62.71.03.1002',
  '62.71.04': '62.71.04.1002',
  '62.71.05': '62.71.05.1001',
};

async function register(person: Registration, nik?: string) {
  const regionCode = kelurahanOf[person.kecamatan] as string;
  const body = businessBody({ regionCode, name: person.business });
  const res = await post(officer.cookie, '/businesses', {
    ...body,
    owner: {
      nik:
        nik ??
        generateNik({
          kecamatanCode: person.kecamatan,
          birthDate: person.birthDate,
          sex: person.sex,
          serial: person.serial,
        }),
      name: person.name,
      sex: person.sex,
      birthDate: person.birthDate,
      phone: person.phone ?? null,
      address: person.address,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { owner: { id: string } }).owner.id;
}

let queue: DedupPair[] = [];
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
const pairOf = (x: string, y: string) => queue.find((p) => pairKey(p.a.id, p.b.id) === pairKey(x, y));

async function readQueue(cookie: string) {
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

// The registrations, in pairs [in the first kecamatan, in the second]; filled in beforeAll.
const ids: Record<string, [string, string]> = {};

// One person moved from Bukit Batu (62.71.02) to Jekan Raya (62.71.03) with a new NIK, kept the
// phone and wrote the name another way.
const spellings: [string, string, string][] = [
  ['Oe/U', 'Joko Susilo', 'Djoko Soesilo'],
  ['Dj/J', 'Jumadi Rangkap', 'Djumadi Rangkap'],
  ['Tj/C', 'Cahyadi Nahan', 'Tjahyadi Nahan'],
  ['Sj/Sy', 'Syamsuri Lambung', 'Sjamsuri Lambung'],
  ['Ch/Kh', 'Khairani Usup', 'Chairani Usup'],
  ['Achmad/Ahmad', 'Achmad Gazali', 'Ahmad Gazali'],
  ['Sitti/Siti', 'Sitti Raudah', 'Siti Raudah'],
  ['Moehammad/Muhammad', 'Moehammad Fauzi', 'Muhammad Fauzi'],
];

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  bukitBatuOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  // Every case at addresses of its own: two moved pairs between the same two addresses are a household.
  let house = 0;
  const home = () => `Jl. Temanggung Tilung No. ${++house} RT 003/RW 002`;
  const newHome = () => `Jl. Beliang No. ${house} RT 010/RW 004`;
  // Serial 1 there and 2 here: the NIKs differ in a kecamatan digit and a serial digit.
  const moved = async (
    key: string,
    a: Omit<Registration, 'kecamatan' | 'serial' | 'address'>,
    b: Partial<Registration>,
  ) => {
    ids[key] = [
      await register({ kecamatan: '62.71.02', serial: 1, address: home(), ...a }),
      await register({ kecamatan: '62.71.03', serial: 2, address: newHome(), ...a, ...b }),
    ];
  };

  await moved(
    'moved',
    { name: 'Rusmini Antang', sex: 'P', birthDate: '1971-04-09', phone: '081348000001' },
    { phone: '+62 813 4800 0001' },
  );
  for (const [i, [label, name, variant]] of spellings.entries()) {
    await moved(
      label,
      { name, sex: 'L', birthDate: `1980-02-${String(10 + i).padStart(2, '0')}`, phone: `08134800011${i}` },
      { name: variant },
    );
  }
  await moved(
    'swapped',
    { name: 'Siti Mardiana', sex: 'P', birthDate: '1983-07-21', phone: '081348000021' },
    { name: 'Mardiana Siti' },
  );
  // No phone in the new kecamatan, but the same business (KBLI and name) moved along.
  await moved(
    'business',
    {
      name: 'Gerson Tundan',
      sex: 'L',
      birthDate: '1975-11-30',
      phone: '081348000031',
      business: 'Lampit Rotan Gerson',
    },
    { phone: null },
  );
  // A NIK typo in the kecamatan digits (62.71.02 → 62.71.03), registered at the same address.
  const typoNik = generateNik({ kecamatanCode: '62.71.02', birthDate: '1969-01-17', sex: 'P', serial: 3 });
  const typoHome = home();
  ids.typo = [
    await register({
      kecamatan: '62.71.02',
      serial: 3,
      name: 'Halimah Bungai',
      sex: 'P',
      birthDate: '1969-01-17',
      address: typoHome,
    }),
    await register(
      {
        kecamatan: '62.71.02',
        serial: 3,
        name: 'Hj. Halimah Bungai',
        sex: 'P',
        birthDate: '1969-01-17',
        address: typoHome,
      },
      `${typoNik.slice(0, 5)}3${typoNik.slice(6)}`,
    ),
  ];
  // A household that moved together to Sabangau (62.71.04): new phones, nothing else in common
  // but the two addresses. The wife's name in the old spelling there.
  const oldHouse = 'Jl. Rajawali No. 5 RT 001/RW 001';
  const newHouse = 'Jl. Badak No. 60 RT 007/RW 003';
  const husband = { name: 'Slamet Riyadi', sex: 'L' as const, birthDate: '1966-05-02' };
  const wife = { name: 'Sumiati Jamilah', sex: 'P' as const, birthDate: '1968-09-14' };
  ids.husband = [
    await register({
      ...husband,
      kecamatan: '62.71.02',
      serial: 5,
      address: oldHouse,
      phone: '081348000041',
    }),
    await register({
      ...husband,
      kecamatan: '62.71.04',
      serial: 15,
      address: newHouse,
      phone: '081348000042',
    }),
  ];
  ids.wife = [
    await register({ ...wife, kecamatan: '62.71.02', serial: 6, address: oldHouse, phone: '081348000041' }),
    await register({
      ...wife,
      name: 'Soemiati Djamilah',
      kecamatan: '62.71.04',
      serial: 16,
      address: newHouse,
    }),
  ];
  // Twins who moved together: each is proposed with their own new record, never with the other.
  const twins = { sex: 'L' as const, birthDate: '1990-12-12' };
  ids.markus = [
    await register({
      ...twins,
      name: 'Markus Nyahu',
      kecamatan: '62.71.02',
      serial: 7,
      address: oldHouse.replace('5', '9'),
      phone: '081348000051',
    }),
    await register({
      ...twins,
      name: 'Markus Nyahu',
      kecamatan: '62.71.05',
      serial: 17,
      address: newHouse.replace('60', '61'),
    }),
  ];
  ids.lukas = [
    await register({
      ...twins,
      name: 'Lukas Nyahu',
      kecamatan: '62.71.02',
      serial: 8,
      address: oldHouse.replace('5', '9'),
      phone: '081348000051',
    }),
    await register({
      ...twins,
      name: 'Lukas Nyahu',
      kecamatan: '62.71.05',
      serial: 18,
      address: newHouse.replace('60', '61'),
    }),
  ];
  // Namesakes: other people with one name, born on the same day, in another kecamatan; one of
  // them with a NIK one digit from the other's (neighbouring kecamatan, same serial).
  const namesake = { name: 'Yuliana Sahay', sex: 'P' as const, birthDate: '1977-03-03' };
  ids.namesake = [
    await register({ ...namesake, kecamatan: '62.71.02', serial: 9, address: home(), phone: '081348000061' }),
    await register({
      ...namesake,
      kecamatan: '62.71.05',
      serial: 2,
      address: newHome(),
      phone: '081348000062',
    }),
  ];
  const neighbour = { name: 'Natanael Garu', sex: 'L' as const, birthDate: '1979-08-08' };
  ids.neighbour = [
    await register({
      ...neighbour,
      kecamatan: '62.71.02',
      serial: 1,
      address: home(),
      phone: '081348000071',
    }),
    await register({
      ...neighbour,
      kecamatan: '62.71.03',
      serial: 1,
      address: newHome(),
      phone: '081348000072',
    }),
  ];

  expect((await post(officer.cookie, '/dedup/runs', {})).statusCode).toBe(202);
  expect(await runNextJob(t.ctx, workerId('test'))).toBe(true);
  queue = await readQueue(officer.cookie);
});
afterAll(async () => t?.close());

const pair = (key: string) => {
  const [a, b] = ids[key] as [string, string];
  return pairOf(a, b);
};

describe('duplicates across kecamatan', () => {
  it('proposes a person who moved and got a new NIK, explained with each signal and its weight', () => {
    const found = pair('moved');
    expect(found?.score).toBe(0.75);
    expect(found?.signals).toEqual([
      { reason: 'nik_moved', weight: 0.2 },
      { reason: 'name_same', weight: 1 },
      { reason: 'same_birth_date', weight: 0.25 },
      { reason: 'same_phone', weight: 0.3 },
    ]);
    expect(found?.reasons).toEqual(found?.signals.map((s) => s.reason));
    // Both NIKs differ in the kecamatan and the serial, not in the birth date and sex.
    expect(found?.nikDifferences.every((i) => i < 6 || i >= 12)).toBe(true);
  });

  it.each(spellings)('reads %s as one name: %s / %s', (label) => {
    const found = pair(label);
    expect(found?.score).toBe(0.75);
    expect(found?.reasons).toEqual(['nik_moved', 'name_variant', 'same_birth_date', 'same_phone']);
  });

  it('reads a name in another order as one name, with a little less weight', () => {
    const found = pair('swapped');
    expect(found?.signals).toContainEqual({ reason: 'name_reordered', weight: 0.95 });
    expect(found?.score).toBe(0.7125);
  });

  it('takes a business that moved along in place of the phone', () => {
    const found = pair('business');
    expect(found?.reasons).toEqual(['nik_moved', 'name_same', 'same_birth_date', 'same_business']);
    expect(found?.score).toBe(0.7);
  });

  it('proposes a NIK typo in the kecamatan digits at the same address', () => {
    const found = pair('typo');
    expect(found?.reasons).toEqual([
      'nik_one_digit',
      'name_variant',
      'same_birth_date',
      'same_address',
      'same_kelurahan',
    ]);
    // No rare-name weight between two kecamatan: it is the address that tells them from namesakes.
    expect(found?.score).toBe(0.9);
  });

  it('proposes a household that moved together, each with their own record and nothing else in common', () => {
    for (const key of ['husband', 'wife', 'markus', 'lukas']) {
      const found = pair(key);
      expect(found, key).toBeDefined();
      expect(found?.signals, key).toContainEqual({ reason: 'household_moved', weight: 0.3 });
      expect(found?.signals, key).not.toContainEqual(expect.objectContaining({ reason: 'same_phone' }));
    }
    // Twins: one birth date, one household, but never one person.
    const [markus, markusThere] = ids.markus as [string, string];
    const [lukas, lukasThere] = ids.lukas as [string, string];
    expect(pairOf(markus, lukasThere)).toBeUndefined();
    expect(pairOf(lukas, markusThere)).toBeUndefined();
    expect(pairOf(markus, lukas)).toBeUndefined();
  });

  it('does not propose namesakes born the same day in another kecamatan, even with NIKs one digit apart', () => {
    expect(pair('namesake')).toBeUndefined();
    expect(pair('neighbour')).toBeUndefined();
    const touched = new Set([...(ids.namesake ?? []), ...(ids.neighbour ?? [])]);
    expect(queue.filter((p) => touched.has(p.a.id) || touched.has(p.b.id))).toEqual([]);
  });

  it('proposes nothing else', () => {
    const expected = new Set(
      [
        'moved',
        'swapped',
        'business',
        'typo',
        'husband',
        'wife',
        'markus',
        'lukas',
        ...spellings.map((s) => s[0]),
      ].map((key) => pairKey(...(ids[key] as [string, string]))),
    );
    expect(queue.map((p) => pairKey(p.a.id, p.b.id)).sort()).toEqual([...expected].sort());
  });

  it('keeps the merge rules: a kecamatan officer neither sees nor merges a pair across kecamatan; a program officer merges it as any other', async () => {
    const [survivorId, duplicateId] = ids.moved as [string, string];
    const local = await readQueue(bukitBatuOfficer.cookie);
    expect(local.some((p) => [p.a.id, p.b.id].includes(survivorId))).toBe(false);
    const refused = await post(bukitBatuOfficer.cookie, '/dedup/merge', { survivorId, duplicateId });
    expect(refused.statusCode).toBe(404);
    const merged = await post(officer.cookie, '/dedup/merge', { survivorId, duplicateId });
    expect(merged.statusCode, merged.body).toBe(200);
    const moved = await t.ctx.db.select().from(businesses).where(eq(businesses.ownerId, survivorId));
    expect(moved).toHaveLength(2);
    const [duplicate] = await t.ctx.db.select().from(people).where(eq(people.id, duplicateId));
    expect(duplicate?.mergedInto).toBe(survivorId);
  });
});
