import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rattanTrainingRule } from '../../domain/eligibility.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  businessBody,
  createBusiness,
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

let t: TestApp;
let officer: TestUser;

const programBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Pelatihan Proses Produksi Berbahan Dasar Rotan',
  type: 'training',
  capacity: 30,
  selection: 'first_come',
  startDate: '2020-08-24',
  endDate: '2020-08-28',
  venue: 'Aula Kecamatan Bukit Batu',
  eligibility: rattanTrainingRule,
  ...overrides,
});

const createProgram = (overrides: Record<string, unknown> = {}) =>
  createProgramAs<{ id: string; capacity: number }>(t, officer.cookie, programBody(overrides));

const applyFor = (programId: string, businessId: string, cookie = officer.cookie) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications`,
    headers: { cookie },
    payload: { businessId },
  });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

describe('programs', () => {
  it('creates a program and describes its rule', async () => {
    const program = await createProgram();
    const res = await t.app.inject({
      url: `/api/v1/programs/${program.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.enrolled).toBe(0);
    expect(
      body.eligibilityDescription.map((c: { field: string; op: string }) => `${c.field}:${c.op}`),
    ).toEqual(['kecamatan:in', 'kbli:eq', 'covidImpacted:true']);
  });

  it('rejects a bad body and an unknown rule field with stable codes', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programs',
      headers: { cookie: officer.cookie },
      payload: { ...programBody(), capacity: 0, type: 'party' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const rule = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programs',
      headers: { cookie: officer.cookie },
      payload: programBody({ eligibility: { '==': [{ var: 'shoeSize' }, 42] } }),
    });
    expect(rule.statusCode).toBe(422);
    expect(rule.json().error.code).toBe('invalid_rule');
  });

  it('lets only program officers and admins create programs', async () => {
    const kec = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programs',
      headers: { cookie: kec.cookie },
      payload: programBody(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    const anon = await t.app.inject({ url: '/api/v1/programs' });
    expect(anon.statusCode).toBe(401);
  });

  it('explains eligibility per clause and stores the failed clause of an ineligible application', async () => {
    const program = await createProgram();
    const elsewhere = await createBusiness(t, officer.cookie, { regionCode: '62.71.01.1001' });
    const check = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.id}/eligibility`,
      headers: { cookie: officer.cookie },
      payload: { businessId: elsewhere.id },
    });
    expect(check.statusCode).toBe(200);
    expect(check.json().eligible).toBe(false);
    expect(check.json().clauses.map((c: { passed: boolean }) => c.passed)).toEqual([false, true, true]);
    expect(check.json().clauses[0].value).toBe('62.71.01');

    const res = await applyFor(program.id, elsewhere.id);
    expect(res.statusCode).toBe(201);
    expect(res.json().status).toBe('ineligible');
    expect(res.json().reasons).toHaveLength(1);
    expect(res.json().reasons[0].description.field).toBe('kecamatan');

    const notCovid = await createBusiness(t, officer.cookie, { covidImpacted: false });
    expect((await applyFor(program.id, notCovid.id)).json().status).toBe('ineligible');
    const otherKbli = await createBusiness(t, officer.cookie, { kbli: '10792' });
    expect((await applyFor(program.id, otherKbli.id)).json().status).toBe('ineligible');
  });

  it('enrols first come up to capacity, then waitlists, and promotes on withdrawal', async () => {
    const program = await createProgram({ capacity: 2 });
    const a = await createBusiness(t, officer.cookie);
    const b = await createBusiness(t, officer.cookie, { regionCode: '62.71.05.1001' });
    const c = await createBusiness(t, officer.cookie);
    const first = (await applyFor(program.id, a.id)).json();
    expect(first.status).toBe('enrolled');
    expect((await applyFor(program.id, b.id)).json().status).toBe('enrolled');
    const third = (await applyFor(program.id, c.id)).json();
    expect(third.status).toBe('waitlisted');

    const again = await applyFor(program.id, a.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_applied');

    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${first.id}/withdraw`,
      headers: { cookie: officer.cookie },
    });
    expect(withdrawn.json().status).toBe('withdrawn');
    const list = await t.app.inject({
      url: `/api/v1/programs/${program.id}/applications`,
      headers: { cookie: officer.cookie },
    });
    const statuses = Object.fromEntries(
      list.json().items.map((i: { businessId: string; status: string }) => [i.businessId, i.status]),
    );
    expect(statuses[c.id]).toBe('enrolled');
    const detail = await t.app.inject({
      url: `/api/v1/programs/${program.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(detail.json().enrolled).toBe(2);

    const audit = await t.app.inject({
      url: '/api/v1/audit?entity=application',
      headers: { cookie: (await createUser(t, 'admin')).cookie },
    });
    expect(audit.json().items.some((e: { action: string }) => e.action === 'promote')).toBe(true);
  });

  it('never exceeds capacity under 100 concurrent applications', async () => {
    const program = await createProgram({ capacity: 30 });
    // Registered in one insert (src/testing/bulk.ts) rather than 100 API calls, to keep the
    // suite fast; the burst with quotas is in burst.test.ts. More than three applicants per
    // seat already race for every seat: a lost update shows as a 31st enrolment.
    const ids = (
      await bulkBusinesses(t.ctx.db, 100, { regionCodes: ['62.71.02.1003', '62.71.05.1002'] })
    ).map((b) => b.id);
    const results = await Promise.all(ids.map((id) => applyFor(program.id, id)));
    const statuses = results.map((r) => r.json().status);
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(statuses.filter((s) => s === 'enrolled')).toHaveLength(30);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(70);
    const detail = await t.app.inject({
      url: `/api/v1/programs/${program.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(detail.json().enrolled).toBe(30);
    expect(detail.json().waitlisted).toBe(70);
  });

  it('rejects lowering capacity below the enrolled count', async () => {
    const program = await createProgram({ capacity: 2 });
    await applyFor(program.id, (await createBusiness(t, officer.cookie)).id);
    await applyFor(program.id, (await createBusiness(t, officer.cookie)).id);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/programs/${program.id}`,
      headers: { cookie: officer.cookie },
      payload: { capacity: 1 },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('capacity_below_enrolled');
  });

  it('fills a priority program by lowest turnover when the officer runs the selection', async () => {
    const program = await createProgram({ capacity: 1, selection: 'priority' });
    const rich = await createBusiness(t, officer.cookie, { annualTurnover: 500_000_000 });
    const poor = await createBusiness(t, officer.cookie, { annualTurnover: 20_000_000 });
    expect((await applyFor(program.id, rich.id)).json().status).toBe('pending');
    expect((await applyFor(program.id, poor.id)).json().status).toBe('pending');
    const run = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.id}/selection`,
      headers: { cookie: officer.cookie },
    });
    // The answer also counts the ranked applications (issue 4).
    expect(run.json()).toEqual({ enrolled: 1, waitlisted: 1, ranked: 2 });
    const list = await t.app.inject({
      url: `/api/v1/programs/${program.id}/applications?status=enrolled`,
      headers: { cookie: officer.cookie },
    });
    expect(list.json().items.map((i: { businessId: string }) => i.businessId)).toEqual([poor.id]);
  });

  it('lets an owner apply only for its own business and a kecamatan officer only in its kecamatan', async () => {
    const program = await createProgram();
    const mine = await createBusiness(t, officer.cookie);
    const other = await createBusiness(t, officer.cookie);
    const owner = await createUser(t, 'owner', { personId: mine.owner.id });
    expect((await applyFor(program.id, other.id, owner.cookie)).statusCode).toBe(404);
    expect((await applyFor(program.id, mine.id, owner.cookie)).json().status).toBe('enrolled');

    const rakumpitOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
    const bukitBatu = await createBusiness(t, officer.cookie, { regionCode: '62.71.02.1001' });
    expect((await applyFor(program.id, bukitBatu.id, rakumpitOfficer.cookie)).statusCode).toBe(404);
    const sopd = await createUser(t, 'sopd_officer');
    expect((await applyFor(program.id, bukitBatu.id, sopd.cookie)).statusCode).toBe(403);
  });
});

describe('exclusion lists in rules', () => {
  it('turns down an owner on a civil-servant list, and only that owner', async () => {
    const rule = { and: [...rattanTrainingRule.and, { '!': { in: ['asn', { var: 'exclusions' }] } }] };
    const program = await createProgram({ eligibility: rule });
    const civilServant = businessBody();
    const listed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/businesses',
      headers: { cookie: officer.cookie },
      payload: civilServant,
    });
    const other = await createBusiness(t, officer.cookie);
    const list = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exclusion-lists',
      headers: { cookie: officer.cookie },
      payload: { name: 'ASN Kota Palangka Raya 2020', kind: 'asn', niks: [civilServant.owner.nik] },
    });
    expect(list.statusCode, list.body).toBeLessThan(300);

    const turnedDown = await applyFor(program.id, listed.json().id);
    expect(turnedDown.statusCode, turnedDown.body).toBe(201);
    expect(turnedDown.json().status).toBe('ineligible');
    expect(turnedDown.json().reasons).toHaveLength(1);
    expect((await applyFor(program.id, other.id)).json().status).toBe('enrolled');
  });
});
