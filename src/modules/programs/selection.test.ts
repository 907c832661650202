import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibilityFields } from '../../domain/eligibility.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createBusiness,
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { getEligibilityFacts } from '../businesses/businesses.service.ts';
import { allocateSeats, compareCandidates, rankCandidates } from './priority.ts';
import { lockSelectionCandidates } from './programs.queries.ts';
import { defaultPriorityRule, priorityField } from './programs.schema.ts';
import { candidateFacts } from './selection.service.ts';

let t: TestApp;
let officer: TestUser;

type Item = {
  id: string;
  businessId: string;
  status: string;
  rank: number | null;
  source: string;
  statusPath: string;
};

const programBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Bantuan Alat Anyaman Rotan',
  type: 'aid',
  capacity: 3,
  selection: 'first_come',
  startDate: '2020-09-01',
  endDate: '2020-09-30',
  eligibility: true,
  ...overrides,
});

const createProgram = (overrides: Record<string, unknown> = {}) =>
  createProgramAs<{ id: string; quotas: { kecamatan: string; quota: number; taken: number }[] }>(
    t,
    officer.cookie,
    programBody(overrides),
  );

const applyFor = async (programId: string, businessId: string, cookie = officer.cookie) => {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications`,
    headers: { cookie },
    payload: { businessId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Item;
};

const post = (url: string, cookie = officer.cookie) =>
  t.app.inject({ method: 'POST', url, headers: { cookie } });

async function getProgram(id: string) {
  const res = await t.app.inject({ url: `/api/v1/programs/${id}`, headers: { cookie: officer.cookie } });
  return res.json() as {
    enrolled: number;
    waitlisted: number;
    quotas: { kecamatan: string; kecamatanName: string | null; quota: number; taken: number }[];
    priorityRule: { field: string; direction: string }[];
  };
}

async function statuses(programId: string, order: 'applied' | 'rank' = 'applied') {
  const res = await t.app.inject({
    url: `/api/v1/programs/${programId}/applications?limit=200&order=${order}`,
    headers: { cookie: officer.cookie },
  });
  return res.json().items as Item[];
}

async function events(applicationId: string, cookie = officer.cookie) {
  return t.app.inject({ url: `/api/v1/applications/${applicationId}/events`, headers: { cookie } });
}

const bukitBatu = '62.71.02.1004';
const rakumpit = '62.71.05.1001';
const pahandut = '62.71.01.1001';

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

describe('priority rule (pure)', () => {
  const facts = (over: Partial<Parameters<typeof candidateFacts>[0]['business']> = {}) =>
    candidateFacts(
      {
        business: {
          kecamatanCode: '62.71.02',
          regionCode: bukitBatu,
          kbli: '16291',
          capital: null,
          annualTurnover: 10,
          workers: 1,
          covidImpacted: true,
          status: 'aktif',
          ...over,
        },
        owner: { birthDate: '1980-01-01', sex: 'P' },
      },
      '2020-08-24',
    );
  const at = (s: number) => s;

  it('orders by each criterion in turn, unknown last, then by application time', () => {
    const a = { id: 'a', arrival: at(3), facts: facts({ annualTurnover: 5 }) };
    const b = { id: 'b', arrival: at(1), facts: facts({ annualTurnover: 5, covidImpacted: false }) };
    const c = { id: 'c', arrival: at(2), facts: facts({ annualTurnover: null }) };
    const d = { id: 'd', arrival: at(0), facts: facts({ annualTurnover: 5 }) };
    const ranked = rankCandidates(defaultPriorityRule, [a, b, c, d]);
    // d and a tie on both criteria: d applied first. b is not Covid-hit. c's turnover is unknown.
    expect(ranked.map((x) => x.id)).toEqual(['d', 'a', 'b', 'c']);
    // Unknown stays last when the direction flips.
    const desc = rankCandidates([{ field: 'annualTurnover', direction: 'desc' }], [a, c, b]);
    expect(desc.map((x) => x.id)).toEqual(['b', 'a', 'c']);
    expect(compareCandidates([], a, a)).toBe(0);
  });

  it('orders size from mikro up and allocates seats within quotas in one pass', () => {
    const big = { id: 'big', arrival: at(0), facts: facts({ annualTurnover: 3_000_000_000 }) };
    const small = { id: 'small', arrival: at(1), facts: facts({ annualTurnover: 1 }) };
    expect(rankCandidates([{ field: 'size', direction: 'asc' }], [big, small]).map((x) => x.id)).toEqual([
      'small',
      'big',
    ]);
    const other = { id: 'other', arrival: at(2), facts: facts({}) };
    other.facts.kecamatan = '62.71.05';
    const seats = allocateSeats([small, big, other], { free: 2, quotaLeft: new Map([['62.71.02', 1]]) });
    expect([...seats]).toEqual(['small', 'other']);
  });

  it('offers every orderable eligibility field', () => {
    const orderable = eligibilityFields.filter((f) => f.type !== 'list').map((f) => f.name);
    expect([...priorityField.options].sort()).toEqual([...orderable].sort());
  });
});

describe('quotas and first-come enrolment', () => {
  it('stores quotas, validates them, and returns taken per kecamatan', async () => {
    const program = await createProgram({
      quotas: [
        { kecamatan: '62.71.02', quota: 1 },
        { kecamatan: '62.71.05', quota: 1 },
      ],
    });
    expect(program.quotas).toEqual([
      { kecamatan: '62.71.02', kecamatanName: 'Bukit Batu', quota: 1, taken: 0 },
      { kecamatan: '62.71.05', kecamatanName: 'Rakumpit', quota: 1, taken: 0 },
    ]);
    const bad = async (payload: Record<string, unknown>, status: number, code: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/programs',
        headers: { cookie: officer.cookie },
        payload: programBody(payload),
      });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await bad({ quotas: [{ kecamatan: '62.71.02', quota: 4 }] }, 400, 'validation_failed');
    await bad(
      {
        quotas: [
          { kecamatan: '62.71.02', quota: 1 },
          { kecamatan: '62.71.02', quota: 1 },
        ],
      },
      400,
      'validation_failed',
    );
    await bad({ quotas: [{ kecamatan: '62.71', quota: 1 }] }, 400, 'validation_failed');
    await bad({ quotas: [{ kecamatan: '62.71.99', quota: 1 }] }, 422, 'invalid_region');
    await bad({ priorityRule: [{ field: 'shoeSize', direction: 'asc' }] }, 400, 'validation_failed');
    await bad(
      {
        priorityRule: [
          { field: 'workers', direction: 'asc' },
          { field: 'workers', direction: 'desc' },
        ],
      },
      400,
      'validation_failed',
    );
    expect((await getProgram(program.id)).priorityRule).toEqual(defaultPriorityRule);
  });

  it('holds capacity and quota, and promotes the earliest waitlisted application that fits a quota', async () => {
    const program = await createProgram({
      quotas: [
        { kecamatan: '62.71.02', quota: 1 },
        { kecamatan: '62.71.05', quota: 1 },
      ],
    });
    const a = await createBusiness(t, officer.cookie, { regionCode: bukitBatu });
    const b = await createBusiness(t, officer.cookie, { regionCode: bukitBatu });
    const c = await createBusiness(t, officer.cookie, { regionCode: rakumpit });
    const d = await createBusiness(t, officer.cookie, { regionCode: pahandut });
    const e = await createBusiness(t, officer.cookie, { regionCode: rakumpit });
    const appA = await applyFor(program.id, a.id);
    const appB = await applyFor(program.id, b.id);
    const appC = await applyFor(program.id, c.id);
    // A kecamatan without a quota is limited by the capacity alone.
    const appD = await applyFor(program.id, d.id);
    const appE = await applyFor(program.id, e.id);
    expect([appA, appB, appC, appD, appE].map((x) => x.status)).toEqual([
      'enrolled',
      'waitlisted',
      'enrolled',
      'enrolled',
      'waitlisted',
    ]);
    expect(appA.source).toBe('officer');
    let detail = await getProgram(program.id);
    expect(detail.enrolled).toBe(3);
    expect(detail.quotas.map((q) => q.taken)).toEqual([1, 1]);

    // C (Rakumpit) withdraws: B is earlier but Bukit Batu's quota is full, so E moves up.
    expect((await post(`/api/v1/applications/${appC.id}/withdraw`)).json().status).toBe('withdrawn');
    const after = Object.fromEntries((await statuses(program.id)).map((i) => [i.id, i.status]));
    expect(after[appE.id]).toBe('enrolled');
    expect(after[appB.id]).toBe('waitlisted');
    detail = await getProgram(program.id);
    expect(detail.enrolled).toBe(3);
    expect(detail.quotas.map((q) => q.taken)).toEqual([1, 1]);

    // The promotion is logged for the owner of E, and hidden from another owner.
    const ownerE = await createUser(t, 'owner', { personId: e.owner.id });
    const ownerA = await createUser(t, 'owner', { personId: a.owner.id });
    const history = await events(appE.id, ownerE.cookie);
    expect(history.statusCode).toBe(200);
    expect(history.json().items.map((x: { kind: string }) => x.kind)).toEqual(['waitlisted', 'promoted']);
    expect(history.json().items[1]).toMatchObject({
      fromStatus: 'waitlisted',
      toStatus: 'enrolled',
      note: 'withdrawal',
    });
    expect((await events(appE.id, ownerA.cookie)).statusCode).toBe(404);
    const rakumpitOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
    expect((await events(appE.id, rakumpitOfficer.cookie)).statusCode).toBe(200);
    expect((await events(appA.id, rakumpitOfficer.cookie)).statusCode).toBe(404);

    // A no-show (program officer only) frees A's Bukit Batu seat, so B moves up.
    const kecOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    expect((await post(`/api/v1/applications/${appA.id}/no-show`, kecOfficer.cookie)).statusCode).toBe(403);
    expect((await post(`/api/v1/applications/${appA.id}/no-show`, ownerA.cookie)).statusCode).toBe(403);
    const noShow = await post(`/api/v1/applications/${appA.id}/no-show`);
    expect(noShow.statusCode, noShow.body).toBe(200);
    expect(noShow.json().status).toBe('dropped');
    const again = await post(`/api/v1/applications/${appA.id}/no-show`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('application_closed');
    expect((await post(`/api/v1/applications/${appB.id}/no-show`)).statusCode).toBe(200);
    const final = Object.fromEntries((await statuses(program.id)).map((i) => [i.id, i.status]));
    expect(final).toMatchObject({
      [appA.id]: 'dropped',
      [appB.id]: 'dropped',
      [appD.id]: 'enrolled',
      [appE.id]: 'enrolled',
    });
    detail = await getProgram(program.id);
    expect(detail.enrolled).toBe(2);
    expect(detail.quotas.map((q) => q.taken)).toEqual([0, 1]);
    const historyA = (await events(appA.id)).json().items.map((x: { kind: string }) => x.kind);
    expect(historyA).toEqual(['enrolled', 'no_show']);
    const historyB = (await events(appB.id)).json().items.map((x: { kind: string; note: string }) => x.note);
    expect(historyB).toEqual([null, 'no_show', null]);
  });

  it('recounts taken when quotas change, refuses a quota below the seats held, and moves the waitlist up', async () => {
    const program = await createProgram({ capacity: 4, quotas: [{ kecamatan: '62.71.02', quota: 1 }] });
    const [first, second] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: [bukitBatu] });
    const appFirst = await applyFor(program.id, first!.id);
    const appSecond = await applyFor(program.id, second!.id);
    expect([appFirst.status, appSecond.status]).toEqual(['enrolled', 'waitlisted']);
    const patch = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/programs/${program.id}`,
        headers: { cookie: officer.cookie },
        payload,
      });
    const below = await patch({ quotas: [{ kecamatan: '62.71.02', quota: 0 }] });
    expect(below.statusCode).toBe(409);
    expect(below.json().error.code).toBe('capacity_below_enrolled');
    const tooMany = await patch({ capacity: 1, quotas: [{ kecamatan: '62.71.02', quota: 2 }] });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.code).toBe('validation_failed');
    const raised = await patch({
      quotas: [
        { kecamatan: '62.71.02', quota: 2 },
        { kecamatan: '62.71.05', quota: 1 },
      ],
    });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json().quotas.map((q: { taken: number }) => q.taken)).toEqual([2, 0]);
    const history = (await events(appSecond.id)).json().items;
    expect(history.at(-1)).toMatchObject({ kind: 'promoted', note: 'quota' });
    const sopd = await createUser(t, 'sopd_officer');
    const forbidden = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/programs/${program.id}`,
      headers: { cookie: sopd.cookie },
      payload: { quotas: [] },
    });
    expect(forbidden.statusCode).toBe(403);
    // Dropping every quota leaves the capacity as the only limit.
    const cleared = await patch({ quotas: [] });
    expect(cleared.json().quotas).toEqual([]);
  });
});

describe('priority selection', () => {
  it('ranks by the rule, breaks ties by application time, fills within quotas and promotes by rank', async () => {
    const program = await createProgram({
      selection: 'priority',
      capacity: 2,
      quotas: [{ kecamatan: '62.71.02', quota: 1 }],
    });
    // x: poorest (Bukit Batu); y: Bukit Batu, quota taken by x; z and w tie, z applied first;
    // v has the same turnover but was not hit by Covid.
    const [x, y] = await bulkBusinesses(t.ctx.db, 2, {
      regionCodes: [bukitBatu],
      annualTurnover: (i) => [10_000_000, 20_000_000][i]!,
    });
    const [z, w, v] = await bulkBusinesses(t.ctx.db, 3, {
      regionCodes: [rakumpit],
      annualTurnover: () => 30_000_000,
      covidImpacted: (i) => i !== 2,
    });
    const apps: Record<string, Item> = {};
    for (const [name, b] of Object.entries({ v, w, x, y, z })) apps[name] = await applyFor(program.id, b!.id);
    expect(Object.values(apps).every((a) => a.status === 'pending')).toBe(true);
    // Pending applications take no seat.
    expect((await getProgram(program.id)).enrolled).toBe(0);

    const kec = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    expect((await post(`/api/v1/programs/${program.id}/selection`, kec.cookie)).statusCode).toBe(403);
    const run = await post(`/api/v1/programs/${program.id}/selection`);
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toEqual({ enrolled: 2, waitlisted: 3, ranked: 5 });

    const ranked = await statuses(program.id, 'rank');
    const nameOf = new Map(Object.entries(apps).map(([name, a]) => [a.id, name]));
    // w applied before z (the loop above applies in the order v, w, x, y, z).
    expect(ranked.map((a) => [nameOf.get(a.id), a.rank, a.status])).toEqual([
      ['x', 1, 'enrolled'],
      ['y', 2, 'waitlisted'],
      ['w', 3, 'enrolled'],
      ['z', 4, 'waitlisted'],
      ['v', 5, 'waitlisted'],
    ]);
    const detail = await getProgram(program.id);
    expect(detail.enrolled).toBe(2);
    expect(detail.quotas[0]!.taken).toBe(1);
    // The waitlist place follows the rank: y (2) is ahead of z (4).
    const statusOf = async (name: string) => {
      const path = ranked.find((a) => nameOf.get(a.id) === name)!.statusPath;
      return (await t.app.inject({ url: `/api/v1/public${path}` })).json();
    };
    expect((await statusOf('z')).waitlistPosition).toBe(2);
    expect((await statusOf('v')).waitlistPosition).toBe(3);
    expect((await events(apps.x!.id)).json().items.map((e: { kind: string }) => e.kind)).toEqual([
      'applied',
      'selected',
    ]);

    // x withdraws: y is the best-ranked waitlisted and Bukit Batu's seat is free again.
    await post(`/api/v1/applications/${apps.x!.id}/withdraw`);
    const afterWithdrawal = Object.fromEntries(
      (await statuses(program.id)).map((a) => [nameOf.get(a.id), a.status]),
    );
    expect(afterWithdrawal).toMatchObject({ x: 'withdrawn', y: 'enrolled', w: 'enrolled', z: 'waitlisted' });

    // Running again changes no seat and keeps the ranks consistent.
    const rerun = await post(`/api/v1/programs/${program.id}/selection`);
    expect(rerun.json()).toEqual({ enrolled: 0, waitlisted: 2, ranked: 2 });
    const firstCome = await createProgram();
    const refused = await post(`/api/v1/programs/${firstCome.id}/selection`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('validation_failed');
  });

  it('follows a custom rule set on the program', async () => {
    const program = await createProgram({
      selection: 'priority',
      capacity: 1,
      priorityRule: [{ field: 'annualTurnover', direction: 'desc' }],
    });
    expect((await getProgram(program.id)).priorityRule).toEqual([
      { field: 'annualTurnover', direction: 'desc' },
    ]);
    const [poor, rich] = await bulkBusinesses(t.ctx.db, 2, {
      regionCodes: [rakumpit],
      annualTurnover: (i) => (i === 0 ? 5_000_000 : 900_000_000),
    });
    const appPoor = await applyFor(program.id, poor!.id);
    await applyFor(program.id, rich!.id);
    await post(`/api/v1/programs/${program.id}/selection`);
    const enrolled = (await statuses(program.id)).filter((a) => a.status === 'enrolled');
    expect(enrolled.map((a) => a.businessId)).toEqual([rich!.id]);
    // Back to the default (lowest turnover first) with null.
    const reset = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/programs/${program.id}`,
      headers: { cookie: officer.cookie },
      payload: { priorityRule: null },
    });
    expect(reset.json().priorityRule).toEqual(defaultPriorityRule);
    expect((await statuses(program.id, 'rank')).map((a) => [a.id, a.rank])).toEqual([
      [enrolled[0]!.id, 1],
      [appPoor.id, 2],
    ]);
  });

  it('reads the same facts as the registry does', async () => {
    const program = await createProgram({ selection: 'priority' });
    const business = await createBusiness(t, officer.cookie, {
      regionCode: rakumpit,
      annualTurnover: 3_000_000_000,
    });
    await applyFor(program.id, business.id);
    const [row] = await lockSelectionCandidates(t.ctx.db, program.id);
    const expected = await getEligibilityFacts(t.ctx, business.id, '2020-09-01');
    const { exclusions: _lists, ...registryFacts } = expected!;
    expect(candidateFacts(row!, '2020-09-01')).toEqual(registryFacts);
  });
});
