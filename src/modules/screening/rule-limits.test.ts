import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { validateRule } from '../../domain/eligibility.ts';
import {
  createBusiness,
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let owner: TestUser;
let sopd: TestUser;

const inject = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  sopd = await createUser(t, 'sopd_officer');
  const business = await createBusiness(t, officer.cookie);
  owner = await createUser(t, 'owner', { personId: business.owner.id });
});
afterAll(async () => t?.close());

// As JSON text: JSON.stringify itself recurses, and a deep enough rule overflows its stack.
const deepText = (levels: number) => `${'{"!":['.repeat(levels)}{"var":"workers"}${']}'.repeat(levels)}`;
const deep = (levels: number): unknown => JSON.parse(deepText(levels));

const injectText = (cookie: string, url: string, body: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { cookie, 'content-type': 'application/json' },
    payload: body,
  });

const programBody = (eligibility: unknown) => ({
  name: 'Pelatihan anyaman rotan',
  type: 'training',
  capacity: 10,
  startDate: '2030-08-24',
  endDate: '2030-08-28',
  eligibility,
});

describe('eligibility rules at their limits', () => {
  it('refuses a huge rule with validation_failed at once, before walking it', async () => {
    const huge = { in: [{ var: 'kbli' }, Array.from({ length: 150_000 }, (_, i) => String(i))] };
    const describe = await inject(officer.cookie, 'POST', '/rules/describe', { rule: huge });
    expect(describe.statusCode, describe.body).toBe(400);
    expect(describe.json().error.code).toBe('validation_failed');
    const create = await inject(officer.cookie, 'POST', '/programs', programBody(huge));
    expect(create.statusCode).toBe(400);
    expect(create.json().error.code).toBe('validation_failed');
  });

  it('refuses a deep rule with validation_failed, on every route that takes one', async () => {
    for (const levels of [30, 1000, 20_000]) {
      const rule = deepText(levels);
      const program = JSON.stringify(programBody('RULE')).replace('"RULE"', rule);
      for (const [url, body] of [
        ['/rules/describe', `{"rule":${rule}}`],
        ['/rules/preview', `{"rule":${rule}}`],
        ['/programs', program],
      ] as const) {
        const res = await injectText(officer.cookie, url, body);
        expect(res.statusCode, `${url} ${levels}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
      }
    }
    // a rule of ordinary depth still passes
    const fine = await inject(officer.cookie, 'POST', '/rules/describe', { rule: deep(5) });
    expect(fine.statusCode).toBe(200);
  });

  it('knows only its own operators: constructor, toString, __proto__ are unknown, not crashes', async () => {
    // the JSON parser of the server refuses a __proto__ key outright (invalid_json)
    expect(validateRule(JSON.parse('{"__proto__": [1, 2]}'))).toEqual([
      expect.objectContaining({ code: 'rule_unknown_operator' }),
    ]);
    for (const op of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const rule = JSON.parse(`{"${op}": [1, 2]}`);
      expect(validateRule(rule)).toEqual([expect.objectContaining({ code: 'rule_unknown_operator' })]);
      const described = await inject(officer.cookie, 'POST', '/rules/describe', { rule });
      expect(described.statusCode, described.body).toBe(200);
      expect(described.json()).toMatchObject({ valid: false, issues: [{ code: 'rule_unknown_operator' }] });
      const create = await inject(officer.cookie, 'POST', '/programs', programBody(rule));
      expect(create.statusCode, create.body).toBe(422);
      expect(create.json().error.code).toBe('invalid_rule');
    }
    const field = await inject(officer.cookie, 'POST', '/rules/describe', {
      rule: { '==': [{ var: 'constructor' }, 1] },
    });
    expect(field.json()).toMatchObject({ valid: false, issues: [{ code: 'rule_unknown_field' }] });
  });

  it('lets only the roles that write programs use /rules/*', async () => {
    for (const [role, user] of Object.entries({ kecamatan, sopd, owner })) {
      for (const url of ['/rules/describe', '/rules/preview']) {
        const res = await inject(user.cookie, 'POST', url, { rule: true });
        expect(res.statusCode, `${role} ${url}`).toBe(403);
      }
    }
    expect((await inject(officer.cookie, 'POST', '/rules/describe', { rule: true })).statusCode).toBe(200);
  });

  it('answers a program whose stored rule is past the limits with 422, never a crash', async () => {
    const program = await createProgramAs<{ id: string }>(t, officer.cookie, programBody(true));
    // as a rule stored before the limits existed: far past the depth limit, yet shallow enough
    // for the embedded database's own jsonb parser (deeper ones fail there, not in Pulih)
    await t.ctx.db.execute(
      sql`update programs set eligibility = ${deepText(300)}::jsonb where id = ${program.id}`,
    );
    const read = await inject(officer.cookie, 'GET', `/programs/${program.id}`);
    expect(read.statusCode, read.body.slice(0, 300)).toBe(200);
    const screening = await inject(officer.cookie, 'POST', `/programs/${program.id}/screening`);
    expect(screening.statusCode, screening.body.slice(0, 300)).toBe(422);
    expect(screening.json().error.code).toBe('invalid_rule');
    const business = await createBusiness(t, officer.cookie);
    const check = await inject(officer.cookie, 'POST', `/programs/${program.id}/eligibility`, {
      businessId: business.id,
    });
    expect(check.statusCode, check.body.slice(0, 300)).toBe(422);
    // and the officer can repair it
    const repaired = await inject(officer.cookie, 'PATCH', `/programs/${program.id}`, { eligibility: true });
    expect(repaired.statusCode, repaired.body.slice(0, 300)).toBe(200);
  });
});

describe('archived programs', () => {
  it('leave the lists, refuse applications, and come back when restored', async () => {
    const program = await createProgramAs<{ id: string }>(t, officer.cookie, programBody(true));
    const listed = async (query = '') =>
      (await inject(officer.cookie, 'GET', `/programs?limit=200${query}`))
        .json()
        .items.map((p: { id: string }) => p.id);
    expect(await listed()).toContain(program.id);

    expect((await inject(kecamatan.cookie, 'POST', `/programs/${program.id}/archive`)).statusCode).toBe(403);
    const archived = await inject(officer.cookie, 'POST', `/programs/${program.id}/archive`);
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json().archivedAt).not.toBeNull();
    expect(await listed()).not.toContain(program.id);
    expect(await listed('&archived=true')).toContain(program.id);
    // still readable by id
    expect((await inject(officer.cookie, 'GET', `/programs/${program.id}`)).json().archivedAt).not.toBeNull();

    const business = await createBusiness(t, officer.cookie);
    const apply = await inject(officer.cookie, 'POST', `/programs/${program.id}/applications`, {
      businessId: business.id,
    });
    expect(apply.statusCode).toBe(409);
    expect(apply.json().error.code).toBe('program_archived');

    const restored = await inject(officer.cookie, 'POST', `/programs/${program.id}/unarchive`);
    expect(restored.json().archivedAt).toBeNull();
    expect(await listed()).toContain(program.id);
    const audit = await queryRows<{ action: string }>(
      t.ctx.db,
      sql`select action from audit_log where entity = 'program' and entity_id = ${program.id} order by id`,
    );
    expect(audit.map((r) => r.action)).toEqual(['create', 'archive', 'unarchive']);
  });
});
