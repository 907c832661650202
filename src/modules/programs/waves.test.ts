import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { nextWaveName } from './programs.service.ts';

// Copy a program as its next wave (gelombang): the rule, quotas, capacity, selection and venue
// copied, the sessions moved by the same number of days, each wave linked to the other.

type Program = {
  id: string;
  name: string;
  capacity: number;
  selection: string;
  venue: string | null;
  startDate: string;
  endDate: string;
  eligibility: unknown;
  quotas: { kecamatan: string; quota: number; taken: number }[];
  previousWave: { id: string; name: string } | null;
  nextWaves: { id: string; name: string }[];
};

let t: TestApp;
let officer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
}, 120_000);
afterAll(async () => t?.close());

const rule = { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] };

async function firstWave() {
  const program = await createProgramAs<Program>(t, officer.cookie, {
    name: 'Pelatihan Proses Produksi Rotan',
    type: 'training',
    capacity: 30,
    selection: 'priority',
    startDate: '2020-08-24',
    endDate: '2020-08-28',
    venue: 'Aula Kecamatan Bukit Batu',
    eligibility: rule,
    quotas: [
      { kecamatan: '62.71.02', quota: 15 },
      { kecamatan: '62.71.05', quota: 15 },
    ],
  });
  for (const [day, date] of [
    [1, '2020-08-24'],
    [2, '2020-08-25'],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.id}/sessions`,
      headers: { cookie: officer.cookie },
      payload: { day, date, startsAt: '08:00', endsAt: '16:00', topic: `Hari ${day}` },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  return program;
}

const copy = (id: string, body: object, cookie = officer.cookie) =>
  t.app.inject({ method: 'POST', url: `/api/v1/programs/${id}/copy`, headers: { cookie }, payload: body });

const get = async (id: string) =>
  (
    await t.app.inject({ url: `/api/v1/programs/${id}`, headers: { cookie: officer.cookie } })
  ).json() as Program;

describe('next wave', () => {
  it('names waves Gelombang 2, 3, …', () => {
    expect(nextWaveName('Pelatihan Rotan')).toBe('Pelatihan Rotan Gelombang 2');
    expect(nextWaveName('Pelatihan Rotan Gelombang 2')).toBe('Pelatihan Rotan Gelombang 3');
    expect(nextWaveName('Pelatihan Rotan (Gelombang 9)')).toBe('Pelatihan Rotan Gelombang 10');
  });

  it('copies rule, quotas, capacity, selection and venue, moves dates and sessions, links both ways', async () => {
    const first = await firstWave();
    const res = await copy(first.id, { startDate: '2021-03-01' });
    expect(res.statusCode, res.body).toBe(201);
    const second = res.json() as Program;
    expect(second).toMatchObject({
      name: 'Pelatihan Proses Produksi Rotan Gelombang 2',
      capacity: 30,
      selection: 'priority',
      venue: 'Aula Kecamatan Bukit Batu',
      startDate: '2021-03-01',
      endDate: '2021-03-05',
      eligibility: rule,
      previousWave: { id: first.id, name: first.name },
      nextWaves: [],
    });
    expect(second.quotas.map((q) => [q.kecamatan, q.quota, q.taken])).toEqual([
      ['62.71.02', 15, 0],
      ['62.71.05', 15, 0],
    ]);
    const sessions = (
      await t.app.inject({
        url: `/api/v1/programs/${second.id}/sessions`,
        headers: { cookie: officer.cookie },
      })
    ).json().items as { day: number; date: string; startsAt: string; endsAt: string; topic: string }[];
    expect(sessions.map((s) => [s.day, s.date, s.startsAt, s.endsAt, s.topic])).toEqual([
      [1, '2021-03-01', '08:00', '16:00', 'Hari 1'],
      [2, '2021-03-02', '08:00', '16:00', 'Hari 2'],
    ]);
    expect((await get(first.id)).nextWaves).toEqual([{ id: second.id, name: second.name }]);

    const third = (await copy(second.id, { startDate: '2021-09-06' })).json() as Program;
    expect(third.name).toBe('Pelatihan Proses Produksi Rotan Gelombang 3');
    expect(third.previousWave).toEqual({ id: second.id, name: second.name });
    expect(await get(second.id)).toMatchObject({
      previousWave: { id: first.id },
      nextWaves: [{ id: third.id }],
    });
  });

  it('is the program officer’s: a kecamatan officer is refused, an unknown program is 404', async () => {
    const first = await firstWave();
    const kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    expect((await copy(first.id, { startDate: '2021-03-01' }, kecamatanOfficer.cookie)).statusCode).toBe(403);
    expect((await copy('00000000-0000-4000-8000-000000000000', { startDate: '2021-03-01' })).statusCode).toBe(
      404,
    );
  });
});
