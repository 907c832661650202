import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, businesses, people, personalDataAccess } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { type EligibilityFacts, evaluateEligibility, rattanTrainingRule } from '../../domain/eligibility.ts';
import { generateNik } from '../../domain/nik.ts';
import { RuleNotScreenable, ruleToSql, toParameterised } from '../../domain/rule-sql.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { pdfPages } from '../../testing/pdf.ts';
import { getEligibilityFacts } from '../businesses/businesses.service.ts';
import { exclusionFactsFor } from '../exclusions/exclusions.service.ts';
import { ruleCondition } from './screening.queries.ts';

let t: TestApp;
let officer: TestUser;

const inject = (
  cookie: string | null,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

// ---------------------------------------------------------------------------------------
// The SQL compiled from a rule must admit exactly the businesses evaluateEligibility admits.

// Deterministic, so a failure can be replayed.
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const chance = (p: number) => next() < p;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, pick, chance, int };
}

type Random = ReturnType<typeof random>;

const kecamatanCodes = ['62.71.01', '62.71.02', '62.71.03', '62.71.04', '62.71.05'];
const kelurahanCodes = ['62.71.01.1001', '62.71.02.1004', '62.71.02.1001', '62.71.03.1002', '62.71.05.1002'];
const kbliCodes = ['16291', '16293', '10792', '56102'];
const miliar = 1_000_000_000;
const amounts = [
  0,
  60_000_000,
  2 * miliar,
  2 * miliar + 1,
  15 * miliar,
  15 * miliar + 1,
  50 * miliar,
  50 * miliar + 1,
];
const capitals = [0, miliar, miliar + 1, 5 * miliar, 5 * miliar + 1, 10 * miliar, 10 * miliar + 1];
const screeningStart = '2020-08-24';

// The random registry lives in a database of its own, apart from the founding scenario below.
let tp: TestApp;

async function fillRegistry(count: number, seed: number) {
  const r = random(seed);
  const owners = Array.from({ length: count }, (_, i) => {
    const sex = r.pick(['L', 'P', null] as const);
    // Birthdays on, just before and just after the program's first day, and 29 February.
    const birthDate = r.chance(0.15)
      ? null
      : r.pick([
          `${r.int(1958, 2005)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
          `${r.pick([1960, 2002, 2003, 1985])}-08-${r.pick(['23', '24', '25'])}`,
          '2004-02-29',
        ]);
    const kecamatan = r.pick(kecamatanCodes);
    return {
      nik: generateNik({
        kecamatanCode: kecamatan,
        birthDate: birthDate ?? '1980-01-01',
        sex: sex ?? 'L',
        serial: 5000 + i,
      }),
      name: `Pemilik Acak ${i}`,
      sex,
      birthDate,
      phone: r.chance(0.8) ? `+62812${String(10_000_000 + i).slice(-8)}` : null,
      kecamatan,
    };
  });
  const rows = await tp.ctx.db
    .insert(people)
    .values(owners.map(({ kecamatan: _k, ...o }) => o))
    .returning({ id: people.id, nik: people.nik });
  const businessRows = rows.map((owner, i) => {
    const kecamatan = owners[i]!.kecamatan;
    const village = kelurahanCodes.filter((k) => k.startsWith(kecamatan));
    return {
      ownerId: owner.id,
      name: `Usaha Acak ${String(i).padStart(4, '0')}`,
      kbli: r.chance(0.15) ? null : r.pick(kbliCodes),
      regionCode: village.length > 0 && r.chance(0.8) ? r.pick(village) : kecamatan,
      kecamatanCode: kecamatan,
      capital: r.chance(0.4) ? null : r.pick(capitals),
      annualTurnover: r.chance(0.3) ? null : r.pick(amounts),
      workers: r.chance(0.2) ? null : r.pick([0, 1, 2, 5, 10]),
      covidImpacted: r.pick([true, false, null]),
      status: r.pick(['aktif', 'tidak_aktif', 'tutup'] as const),
    };
  });
  const inserted = await tp.ctx.db.insert(businesses).values(businessRows).returning({ id: businesses.id });
  return { ids: inserted.map((b) => b.id), niks: rows.map((o) => o.nik) };
}

// Values of every type, near every threshold, and of the wrong type for the field on purpose.
const literalsFor: Record<string, readonly unknown[]> = {
  kecamatan: [...kecamatanCodes, '62.71', '62.71.02.1004'],
  kelurahan: [...kelurahanCodes, '62.71.02', '1004'],
  kbli: [...kbliCodes, '1629', 16291, ' 16291 '],
  size: ['mikro', 'kecil', 'menengah', 'besar', 'mik'],
  covidImpacted: [true, false, 1, 0, 'true', ''],
  annualTurnover: [...amounts, '2000000000', 1.5e9, -1],
  workers: [0, 1, 2, 5, 10, '2', ' 5 ', true],
  status: ['aktif', 'tidak_aktif', 'tutup', 'tidak'],
  ownerAge: [16, 17, 18, 35, 60, 61, '18', 17.5],
  ownerSex: ['L', 'P', 'l', ''],
  exclusions: ['asn', 'deceased', 'already_aided', 'other'],
};
const anyLiteral = [
  null,
  '',
  '0',
  '1',
  'a',
  0,
  1,
  -1,
  2.5,
  true,
  false,
  'true',
  '62.71.02',
  '16291',
  'mikro',
];
const fields = Object.keys(literalsFor);
const scalarFields = fields.filter((f) => f !== 'exclusions');

function literal(r: Random, field: string): unknown {
  return r.chance(0.75) ? r.pick(literalsFor[field]!) : r.pick(anyLiteral);
}

function leaf(r: Random): unknown {
  const field = r.chance(0.12) ? 'exclusions' : r.pick(scalarFields);
  const v = { var: field };
  if (field === 'exclusions') {
    const listed = { in: [r.pick(literalsFor.exclusions!), v] };
    return r.pick([listed, { '!': listed }, v, { '!': v }, { in: [v, [r.pick(anyLiteral)]] }]);
  }
  const other = { var: r.pick(scalarFields) };
  switch (r.int(0, 9)) {
    case 0:
    case 1: {
      const op = r.pick(['==', '!=', '===', '!==']);
      return r.chance(0.8) ? { [op]: [v, literal(r, field)] } : { [op]: [literal(r, field), v] };
    }
    case 2:
    case 3: {
      const op = r.pick(['<', '<=', '>', '>=']);
      if ((op === '<' || op === '<=') && r.chance(0.3))
        return { [op]: [literal(r, field), v, literal(r, field)] };
      return r.chance(0.8) ? { [op]: [v, literal(r, field)] } : { [op]: [literal(r, field), v] };
    }
    case 4:
      return { in: [v, Array.from({ length: r.int(0, 4) }, () => literal(r, field))] };
    case 5:
      // A substring test, either way round.
      return r.chance(0.5)
        ? { in: [literal(r, field), v] }
        : { in: [v, r.pick(['62.71.02.1004', '16291', 'aktif', ''])] };
    case 6:
      return r.pick([v, { '!': v }, { '!!': [v] }, { var: [field, 'default'] }]);
    case 7:
      return { [r.pick(['==', '!=', '<', '>=', '==='])]: [v, other] };
    case 8:
      return { in: [v, [literal(r, field), other, v]] };
    default:
      return { '!': { in: [v, [literal(r, field), literal(r, field)]] } };
  }
}

// Rules as a query builder writes them, and the odd shapes json-logic allows.
function node(r: Random, depth: number): unknown {
  if (depth === 0 || r.chance(0.35)) return leaf(r);
  const child = () => node(r, depth - 1);
  switch (r.int(0, 7)) {
    case 0:
    case 1:
      return { and: Array.from({ length: r.int(0, 3) }, child) };
    case 2:
      return { or: Array.from({ length: r.int(1, 3) }, child) };
    case 3:
      return { '!': child() };
    case 4:
      return { if: Array.from({ length: r.int(1, 5) }, child) };
    case 5: {
      // A value chosen by and/or/if, then compared.
      const field = r.pick(scalarFields);
      const value = r.pick([
        { or: [{ var: field }, literal(r, field)] },
        { and: [child(), { var: field }] },
        { if: [child(), { var: field }, literal(r, field)] },
        { if: [child(), { var: field }] },
      ]);
      return { [r.pick(['==', '!=', '===', '<', '>='])]: [value, literal(r, field)] };
    }
    case 6:
      return {
        in: [
          { var: r.pick(['kbli', 'kecamatan']) },
          { if: [child(), ['16291', '62.71.02'], '62.71.02.1004'] },
        ],
      };
    default:
      return { '!!': [child()] };
  }
}

describe('rules compiled to SQL agree with evaluateEligibility', () => {
  // SCREENING_RULES and SCREENING_SEED widen the search when the compiler changes.
  const ruleCount = Number(process.env.SCREENING_RULES ?? 400);
  const businessCount = 300;
  let ids: string[] = [];
  const facts = new Map<string, EligibilityFacts>();

  beforeAll(async () => {
    tp = await createTestApp();
    const propertyOfficer = await createUser(tp, 'program_officer');
    const filled = await fillRegistry(businessCount, 2020);
    ids = filled.ids;
    const r = random(4);
    const lists = [
      { name: 'ASN (acak)', kind: 'asn', share: 0.25 },
      { name: 'Meninggal (acak)', kind: 'deceased', share: 0.1 },
      { name: 'BPUM 2020 (acak)', kind: 'already_aided', share: 0.2 },
    ];
    for (const list of lists) {
      const niks = filled.niks.filter(() => r.chance(list.share));
      const res = await tp.app.inject({
        method: 'POST',
        url: '/api/v1/exclusion-lists',
        headers: { cookie: propertyOfficer.cookie },
        payload: { name: list.name, kind: list.kind, niks },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const id of ids) {
      const base = await getEligibilityFacts(tp.ctx, id, screeningStart);
      facts.set(id, { ...base!, exclusions: await exclusionFactsFor(tp.ctx, id) });
    }
  });
  afterAll(async () => tp?.close());

  async function eligibleBySql(rule: unknown) {
    const condition = ruleCondition(ruleToSql(rule, { on: screeningStart }));
    const result = await queryRows<{ id: string }>(
      tp.ctx.db,
      sql`select b.id from businesses b join people p on p.id = b.owner_id where ${condition}`,
    );
    return new Set(result.map((row) => row.id));
  }

  it('for the rattan rule, with and without the civil servants', async () => {
    for (const rule of [
      rattanTrainingRule,
      { and: [...rattanTrainingRule.and, { '!': { in: ['asn', { var: 'exclusions' }] } }] },
    ]) {
      const bySql = await eligibleBySql(rule);
      const byJs = ids.filter((id) => evaluateEligibility(rule, facts.get(id)!).eligible);
      expect([...bySql].sort()).toEqual(byJs.sort());
    }
  });

  it(`for ${ruleCount} random rules over ${businessCount} random businesses`, async () => {
    const r = random(Number(process.env.SCREENING_SEED ?? 1945));
    let compared = 0;
    let refused = 0;
    let nonTrivial = 0;
    for (let i = 0; i < ruleCount; i++) {
      const rule = r.chance(0.2) ? leaf(r) : node(r, 3);
      let bySql: Set<string>;
      try {
        bySql = await eligibleBySql(rule);
      } catch (error) {
        if (error instanceof RuleNotScreenable) {
          refused++;
          continue;
        }
        throw new Error(`rule ${JSON.stringify(rule)} failed in SQL: ${String(error)}`);
      }
      compared++;
      const byJs = new Set(ids.filter((id) => evaluateEligibility(rule, facts.get(id)!).eligible));
      if (byJs.size > 0 && byJs.size < ids.length) nonTrivial++;
      const differing = ids.filter((id) => bySql.has(id) !== byJs.has(id));
      if (differing.length > 0) {
        const id = differing[0]!;
        expect.fail(
          `rule ${JSON.stringify(rule)} disagrees on ${differing.length} businesses, e.g. ` +
            `facts ${JSON.stringify(facts.get(id))}: SQL ${bySql.has(id)}, JS ${byJs.has(id)}\n` +
            `SQL: ${JSON.stringify(toParameterised(ruleToSql(rule, { on: screeningStart })))}`,
        );
      }
    }
    if (process.env.SCREENING_STATS) console.log({ compared, refused, nonTrivial });
    // Most rules compile, and most of those split the registry rather than take all or none.
    expect(refused).toBeLessThan(ruleCount * 0.1);
    expect(compared).toBeGreaterThan(ruleCount * 0.9);
    expect(nonTrivial).toBeGreaterThan(compared * 0.4);
  });
});

// ---------------------------------------------------------------------------------------
// The screening API on the founding scenario.

describe('screening a program', () => {
  let kecBukitBatu: TestUser;
  let sopd: TestUser;
  let owner: TestUser;
  let programId: string;
  // The same program where two businesses applied: the `it`s that count applications read it.
  let appliedProgramId: string;
  let bukitBatu: { id: string; name: string }[] = [];
  let rakumpit: { id: string; name: string }[] = [];
  let civilServant: { id: string; nik: string };
  const rule = { and: [...rattanTrainingRule.and, { '!': { in: ['asn', { var: 'exclusions' }] } }] };

  const weaver = async (name: string, regionCode: string, overrides: Record<string, unknown> = {}) => {
    const b = await createBusiness(t, officer.cookie, { name, regionCode, ...overrides });
    return { id: b.id, name, ownerId: b.owner.id };
  };

  beforeAll(async () => {
    kecBukitBatu = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    sopd = await createUser(t, 'sopd_officer');
    bukitBatu = [];
    rakumpit = [];
    for (const n of ['C', 'A', 'E', 'B', 'D'])
      bukitBatu.push(await weaver(`Anyaman Rotan ${n}`, '62.71.02.1004'));
    for (const n of ['F', 'G']) rakumpit.push(await weaver(`Anyaman Rotan ${n}`, '62.71.05.1002'));
    // Not eligible: another kecamatan, another trade, Covid did not hit, a civil servant.
    await weaver('Anyaman Pahandut', '62.71.01.1001');
    await weaver('Ukiran Bukit Batu', '62.71.02.1004', { kbli: '16293' });
    await weaver('Anyaman Tanpa Dampak', '62.71.02.1004', { covidImpacted: false });
    const asn = await weaver('Anyaman ASN', '62.71.05.1002');
    const [asnOwner] = await t.ctx.db
      .select({ nik: people.nik })
      .from(people)
      .where(sql`${people.id} = ${asn.ownerId}`);
    civilServant = { id: asn.id, nik: asnOwner!.nik };
    owner = await createUser(t, 'owner', { personId: asn.ownerId });
    const listed = await inject(officer.cookie, 'POST', '/exclusion-lists', {
      name: 'ASN Kota Palangka Raya 2020',
      kind: 'asn',
      niks: [civilServant.nik],
    });
    expect(listed.statusCode, listed.body).toBe(201);

    const createProgram = async () => {
      const program = await inject(officer.cookie, 'POST', '/programs', {
        name: 'Pelatihan Proses Produksi Berbahan Dasar Rotan',
        type: 'training',
        capacity: 30,
        selection: 'first_come',
        startDate: '2020-08-24',
        endDate: '2020-08-28',
        venue: 'Aula Kecamatan Bukit Batu',
        eligibility: rule,
      });
      expect(program.statusCode, program.body).toBe(201);
      return program.json().id as string;
    };
    programId = await createProgram();
    appliedProgramId = await createProgram();
    // Written directly: applying belongs to the programs module, which reads the lists itself.
    await t.ctx.db.insert(applications).values([
      { programId: appliedProgramId, businessId: bukitBatu[0]!.id, status: 'enrolled' },
      { programId: appliedProgramId, businessId: bukitBatu[1]!.id, status: 'withdrawn' },
    ]);
  });

  it('counts the eligible businesses per kecamatan and lists the first page', async () => {
    const res = await inject(officer.cookie, 'POST', `/programs/${programId}/screening`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toEqual({ eligible: 7, applied: 0 });
    expect(body.byKecamatan).toEqual([
      { kecamatan: '62.71.02', kecamatanName: 'Bukit Batu', eligible: 5, applied: 0 },
      { kecamatan: '62.71.05', kecamatanName: 'Rakumpit', eligible: 2, applied: 0 },
    ]);
    expect(body.rule.map((c: { text: string }) => c.text)).toEqual([
      'tinggal di Kecamatan Bukit Batu atau Rakumpit',
      'usaha barang anyaman dari rotan dan bambu (KBLI 16291)',
      'terdampak Covid-19',
      'tidak tercantum dalam daftar ASN/PNS',
    ]);
    const names = body.eligible.items.map((b: { name: string }) => b.name);
    expect(names).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((n) => `Anyaman Rotan ${n}`));
    expect(body.eligible.nextCursor).toBeNull();
    const first = body.eligible.items[0];
    expect(first).toMatchObject({
      kecamatan: '62.71.02',
      kecamatanName: 'Bukit Batu',
      kelurahan: '62.71.02.1004',
      kelurahanName: 'Tangkiling',
      applicationStatus: null,
    });
    expect(first.nik).toMatch(/^\d{4}\*{8}\d{4}$/);
    expect(first.phone).toMatch(/\*/);
    expect(body.applicationUrl).toMatch(new RegExp(`^http://localhost(:80)?/daftar/${programId}$`));
  });

  it('gives a WhatsApp invitation with the dates, the venue and the public link, and no NIK', async () => {
    const res = await inject(officer.cookie, 'POST', `/programs/${programId}/screening`);
    const item = res.json().eligible.items[0];
    const url = new URL(item.whatsappUrl);
    expect(url.origin).toBe('https://wa.me');
    expect(url.pathname).toMatch(/^\/62812\d{7,8}$/);
    const text = url.searchParams.get('text') ?? '';
    expect(text).toContain('Pelatihan Proses Produksi Berbahan Dasar Rotan');
    expect(text).toContain('24–28 Agustus 2020');
    expect(text).toContain('Aula Kecamatan Bukit Batu');
    expect(text).toContain(`/daftar/${programId}`);
    expect(text).toContain(item.ownerName);
    expect(item.whatsappUrl).not.toMatch(/\d{16}/);
  });

  it('counts the businesses that applied, and can leave them out of the list', async () => {
    const res = await inject(officer.cookie, 'POST', `/programs/${appliedProgramId}/screening`);
    expect(res.json().total).toEqual({ eligible: 7, applied: 1 });
    expect(res.json().byKecamatan[0]).toMatchObject({ kecamatan: '62.71.02', eligible: 5, applied: 1 });

    const pending = await inject(
      officer.cookie,
      'GET',
      `/programs/${appliedProgramId}/screening/eligible?applied=false`,
    );
    expect(pending.json().items.map((b: { name: string }) => b.name)).not.toContain(bukitBatu[0]!.name);
    expect(pending.json().items).toHaveLength(6);
    // A withdrawn application does not count: that business may be invited again.
    expect(pending.json().items).toContainEqual(
      expect.objectContaining({ businessId: bukitBatu[1]!.id, applicationStatus: 'withdrawn' }),
    );
    const done = await inject(
      officer.cookie,
      'GET',
      `/programs/${appliedProgramId}/screening/eligible?applied=true`,
    );
    expect(done.json().items).toEqual([
      expect.objectContaining({ businessId: bukitBatu[0]!.id, applicationStatus: 'enrolled' }),
    ]);
  });

  it('pages the eligible list by name with a cursor, per kecamatan', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await inject(
        officer.cookie,
        'GET',
        `/programs/${programId}/screening/eligible?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((b: { name: string }) => b.name));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((n) => `Anyaman Rotan ${n}`));
    const rakumpitOnly = await inject(
      officer.cookie,
      'GET',
      `/programs/${programId}/screening/eligible?kecamatan=62.71.05`,
    );
    expect(
      rakumpitOnly
        .json()
        .items.map((b: { businessId: string }) => b.businessId)
        .sort(),
    ).toEqual(rakumpit.map((b) => b.id).sort());
  });

  it('logs who viewed the list', async () => {
    const before = await t.ctx.db.$count(
      personalDataAccess,
      sql`${personalDataAccess.subject} = 'screening'`,
    );
    await inject(officer.cookie, 'GET', `/programs/${programId}/screening/eligible?limit=3`);
    const after = await t.ctx.db.$count(personalDataAccess, sql`${personalDataAccess.subject} = 'screening'`);
    expect(after).toBe(before + 1);
  });

  it('lets a kecamatan officer screen their own kecamatan only', async () => {
    const res = await inject(kecBukitBatu.cookie, 'POST', `/programs/${appliedProgramId}/screening`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().byKecamatan).toEqual([
      { kecamatan: '62.71.02', kecamatanName: 'Bukit Batu', eligible: 5, applied: 1 },
    ]);
    expect(res.json().eligible.items).toHaveLength(5);
    const other = await inject(
      kecBukitBatu.cookie,
      'GET',
      `/programs/${appliedProgramId}/screening/eligible?kecamatan=62.71.05`,
    );
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('forbidden');
  });

  it('is for program and kecamatan officers only', async () => {
    for (const user of [sopd, owner]) {
      const res = await inject(user.cookie, 'POST', `/programs/${programId}/screening`);
      expect(res.statusCode).toBe(403);
      const pdf = await inject(user.cookie, 'GET', `/programs/${programId}/screening/invitations.pdf`);
      expect(pdf.statusCode).toBe(403);
    }
    const anonymous = await inject(null, 'POST', `/programs/${programId}/screening`);
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers 404 for an unknown program and 400 for bad input', async () => {
    const missing = await inject(
      officer.cookie,
      'POST',
      '/programs/00000000-0000-4000-8000-000000000000/screening',
    );
    expect(missing.statusCode).toBe(404);
    const badKecamatan = await inject(
      officer.cookie,
      'GET',
      `/programs/${programId}/screening/eligible?kecamatan=Bukit`,
    );
    expect(badKecamatan.statusCode).toBe(400);
    expect(badKecamatan.json().error.code).toBe('validation_failed');
    const badCursor = await inject(
      officer.cookie,
      'GET',
      `/programs/${programId}/screening/eligible?cursor=nonsense`,
    );
    expect(badCursor.statusCode).toBe(400);
  });

  it('refuses a rule SQL cannot mirror, with 422', async () => {
    const program = await inject(officer.cookie, 'POST', '/programs', {
      name: 'Program dengan aturan aneh',
      type: 'aid',
      capacity: 5,
      startDate: '2021-01-04',
      endDate: '2021-01-04',
      eligibility: { '==': [{ var: 'exclusions' }, 'asn'] },
    });
    expect(program.statusCode, program.body).toBe(201);
    const res = await inject(officer.cookie, 'POST', `/programs/${program.json().id}/screening`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'invalid_rule',
      details: [{ code: 'rule_not_screenable' }],
    });
  });

  it('prints the invitation list, masked, per kecamatan, and logs the export', async () => {
    const res = await inject(
      officer.cookie,
      'GET',
      `/programs/${appliedProgramId}/screening/invitations.pdf`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await pdfPages(res.rawPayload)).join(' ');
    expect(text).toContain('DAFTAR UNDANGAN CALON PESERTA');
    expect(text).toContain('Pelatihan Proses Produksi Berbahan Dasar Rotan');
    expect(text).toContain('24–28 Agustus 2020');
    expect(text).toContain('Aula Kecamatan Bukit Batu');
    expect(text).toContain('Semua kecamatan');
    expect(text).toContain('tinggal di Kecamatan Bukit Batu atau Rakumpit');
    for (const title of ['No', 'Nama Usaha', 'Pemilik', 'Kelurahan', 'HP', 'Dihubungi', 'Keterangan']) {
      expect(text).toContain(title);
    }
    // Those who applied already are not invited again.
    expect(text).not.toContain(bukitBatu[0]!.name);
    for (const b of [...bukitBatu.slice(1), ...rakumpit]) expect(text).toContain(b.name);
    expect(text).toContain('Tangkiling');
    expect(text).toContain('Panjehang');
    expect(text).not.toMatch(/\d{16}/);
    expect(text).toMatch(/\+62812\*+\d{4}/);
    expect(text).toContain('6 usaha');
    expect(text).toContain(`/daftar/${appliedProgramId}`);

    const rakumpitOnly = await inject(
      officer.cookie,
      'GET',
      `/programs/${appliedProgramId}/screening/invitations.pdf?kecamatan=62.71.05&applied=all`,
    );
    const rakumpitText = (await pdfPages(rakumpitOnly.rawPayload)).join(' ');
    expect(rakumpitText).toContain('Kecamatan Rakumpit');
    expect(rakumpitText).not.toContain(bukitBatu[1]!.name);
    expect(rakumpitText).toContain('2 usaha');

    const exports = await t.ctx.db
      .select()
      .from(personalDataAccess)
      .where(sql`${personalDataAccess.subject} = 'screening_invitations'`);
    expect(exports).toHaveLength(2);
    expect(exports[0]).toMatchObject({ kind: 'export', rows: 6, actorId: officer.id });
  });
});

// ---------------------------------------------------------------------------------------
// Every operator in plain language.

describe('rules in words', () => {
  const describeRule = async (rule: unknown, lang?: 'en') => {
    const res = await inject(officer.cookie, 'POST', '/rules/describe', { rule, ...(lang ? { lang } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const textOf = async (rule: unknown) =>
    (await describeRule(rule)).clauses.map((c: { text: string }) => c.text);

  it('reads the founding rule as the issue wrote it', async () => {
    const body = await describeRule(rattanTrainingRule);
    expect(body).toMatchObject({ valid: true, screenable: true, issues: [] });
    expect(body.summary).toBe(
      'tinggal di Kecamatan Bukit Batu atau Rakumpit, usaha barang anyaman dari rotan dan bambu (KBLI 16291), terdampak Covid-19',
    );
    const english = await describeRule(rattanTrainingRule, 'en');
    expect(english.clauses.map((c: { text: string }) => c.text)).toEqual([
      'based in Kecamatan Bukit Batu or Rakumpit',
      'a business in barang anyaman dari rotan dan bambu (KBLI 16291)',
      'hit by Covid-19',
    ]);
  });

  it('has a text for every operator', async () => {
    const cases: [unknown, string, string][] = [
      [{ '==': [{ var: 'status' }, 'aktif'] }, 'eq', 'status usaha aktif'],
      [{ '!=': [{ var: 'status' }, 'tutup'] }, 'neq', 'status usaha bukan tutup'],
      [{ in: [{ var: 'size' }, ['mikro', 'kecil']] }, 'in', 'usaha skala mikro atau kecil'],
      [
        { '!': { in: [{ var: 'kelurahan' }, ['62.71.02.1004']] } },
        'not_in',
        'tidak tinggal di Kelurahan Tangkiling',
      ],
      [{ '<': [{ var: 'workers' }, 5] }, 'lt', 'jumlah tenaga kerja kurang dari 5 orang'],
      [
        { '<=': [{ var: 'annualTurnover' }, 2_000_000_000] },
        'lte',
        'omzet tahunan paling banyak Rp 2.000.000.000',
      ],
      [{ '>': [{ var: 'ownerAge' }, 17] }, 'gt', 'umur pemilik lebih dari 17 tahun'],
      [{ '>=': [{ var: 'ownerAge' }, 18] }, 'gte', 'umur pemilik paling sedikit 18 tahun'],
      [{ var: 'covidImpacted' }, 'true', 'terdampak Covid-19'],
      [{ '==': [{ var: 'covidImpacted' }, false] }, 'false', 'tidak terdampak Covid-19'],
      [{ '!!': { var: 'kelurahan' } }, 'true', 'kelurahan: ya'],
      [
        { in: ['deceased', { var: 'exclusions' }] },
        'listed',
        'tercantum dalam daftar penduduk meninggal dunia',
      ],
      [
        {
          '!': {
            or: [{ in: ['asn', { var: 'exclusions' }] }, { in: ['already_aided', { var: 'exclusions' }] }],
          },
        },
        'not_listed',
        'tidak tercantum dalam daftar ASN/PNS atau penerima bantuan sebelumnya',
      ],
      [{ '!': { var: 'exclusions' } }, 'false', 'tidak tercantum dalam daftar pengecualian mana pun'],
      [{ '==': [{ var: 'ownerSex' }, 'P'] }, 'eq', 'pemilik perempuan'],
      [{ '==': [{ var: 'kbli' }, '99999'] }, 'eq', 'usaha KBLI 99999'],
      [{ '<=': [18, { var: 'ownerAge' }, 60] }, 'complex', 'syarat lain: {"<=":[18,{"var":"ownerAge"},60]}'],
    ];
    for (const [rule, op, text] of cases) {
      const body = await describeRule(rule);
      const clauses = body.clauses.map((c: { op: string; text: string }) => ({
        op: c.op,
        text: c.text.replace(/\u00a0/g, ' '),
      }));
      expect(clauses, JSON.stringify(rule)).toEqual([{ op, text }]);
    }
  });

  it('says when a rule is invalid, or cannot screen the registry', async () => {
    const invalid = await describeRule({ '==': [{ var: 'nik' }, '1'] });
    expect(invalid).toMatchObject({ valid: false, screenable: false, clauses: [] });
    expect(invalid.issues[0]).toMatchObject({ code: 'rule_unknown_field', field: 'nik' });
    const odd = await describeRule({ '==': [{ var: 'exclusions' }, 'asn'] });
    expect(odd).toMatchObject({ valid: true, screenable: false });
    expect(await textOf(null)).toEqual([]);
    expect((await describeRule(null)).summary).toBe('Terbuka untuk semua usaha.');
  });

  it('previews how many businesses an unsaved rule admits', async () => {
    const res = await inject(officer.cookie, 'POST', '/rules/preview', {
      rule: { in: [{ var: 'kecamatan' }, ['62.71.05']] },
      startDate: '2020-08-24',
    });
    expect(res.statusCode, res.body).toBe(200);
    const count = await t.ctx.db.$count(businesses, sql`${businesses.kecamatanCode} = '62.71.05'`);
    expect(res.json()).toMatchObject({
      total: count,
      byKecamatan: [{ kecamatan: '62.71.05', eligible: count }],
    });
    const bad = await inject(officer.cookie, 'POST', '/rules/preview', { rule: { log: 1 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('invalid_rule');
    const sopd = await createUser(t, 'sopd_officer');
    expect((await inject(sopd.cookie, 'POST', '/rules/preview', { rule: true })).statusCode).toBe(403);
  });
});
