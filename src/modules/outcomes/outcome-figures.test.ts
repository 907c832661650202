import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aidAllocations,
  aidStock,
  applications,
  businesses,
  followUpAnswers,
  followUps,
} from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';
import type { BusinessStatus } from '../../domain/enums.ts';
import { countOutcomes, type Graduate, graduateOutcome } from '../../domain/outcomes.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { getFunnel, getOutcomeBreakdown, getOutcomeFigures } from './outcomes.service.ts';

// The outcome figures in SQL against their definitions (src/domain/outcomes.ts) on hand-made
// graduates: a new business, a reactivated one, one never answering, one answering twice, one
// answering too early, one not asked; then on a random crowd, row by row.

let t: TestApp;
let officer: TestUser;

type Case = {
  annualTurnover: number | null;
  status: BusinessStatus;
  workers?: number;
  completed?: boolean;
  followUps: {
    dueAt: string;
    answers: { sales: number; producing: boolean; workers?: number; at: string }[];
  }[];
};

let made = 0;
async function makeProgram(endDate: string) {
  made += 1;
  return createProgramAs(t, officer.cookie, {
    name: `Pelatihan Hasil ${made}`,
    type: 'training',
    capacity: 50,
    startDate: '2024-01-08',
    endDate,
    eligibility: true,
  });
}

// Writes the cases as graduates of the program and answers how the oracle sees them.
async function seed(programId: string, endDate: string, cases: Case[], regionCodes = ['62.71.02.1004']) {
  const made = await bulkBusinesses(t.ctx.db, cases.length, {
    regionCodes,
    annualTurnover: (i) => cases[i]!.annualTurnover,
  });
  const graduates: (Graduate & { kecamatan: string })[] = [];
  for (const [i, c] of cases.entries()) {
    const b = made[i]!;
    await t.ctx.db
      .update(businesses)
      .set({ status: c.status, workers: c.workers ?? 2 })
      .where(sql`id = ${b.id}`);
    const [app] = await t.ctx.db
      .insert(applications)
      .values({ programId, businessId: b.id, status: c.completed === false ? 'enrolled' : 'completed' })
      .returning({ id: applications.id });
    const followUpsOf: Graduate['followUps'] = [];
    for (const f of c.followUps) {
      const [row] = await t.ctx.db
        .insert(followUps)
        .values({
          programId,
          applicationId: app!.id,
          businessId: b.id,
          dueAt: f.dueAt,
          token: crypto.randomUUID(),
        })
        .returning({ id: followUps.id });
      const answers = [];
      for (const a of f.answers) {
        const [x] = await t.ctx.db
          .insert(followUpAnswers)
          .values({
            followUpId: row!.id,
            salesLastMonth: a.sales,
            workers: a.workers ?? 2,
            stillProducing: a.producing,
            source: 'self',
            answeredAt: new Date(a.at),
          })
          .returning({ id: followUpAnswers.id });
        answers.push({
          salesLastMonth: a.sales,
          workers: a.workers ?? 2,
          stillProducing: a.producing,
          answeredAt: new Date(a.at),
          id: x!.id,
        });
      }
      followUpsOf.push({ dueAt: f.dueAt, answers });
    }
    if (c.completed !== false)
      graduates.push({
        annualTurnover: c.annualTurnover,
        status: c.status,
        programEndDate: endDate,
        followUps: followUpsOf,
        kecamatan: b.kecamatanCode,
      });
  }
  return graduates;
}

const answer = (sales: number, at: string, producing = true) => ({ sales, producing, at });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});

afterAll(async () => {
  await t.close();
});

describe('outcome figures on hand-made graduates', () => {
  const end = '2024-05-31';
  // 3 months after 31 May is 31 August (clamped like PostgreSQL)
  const cases: Record<string, Case> = {
    newBusiness: {
      annualTurnover: 0,
      status: 'aktif',
      followUps: [{ dueAt: '2024-08-31', answers: [answer(1_500_000, '2024-09-02')] }],
    },
    reactivated: {
      annualTurnover: 48_000_000,
      status: 'tidak_aktif',
      followUps: [{ dueAt: '2024-11-30', answers: [answer(4_000_000, '2024-12-01')] }],
    },
    neverAnswered: {
      annualTurnover: 60_000_000,
      status: 'aktif',
      followUps: [{ dueAt: '2024-08-31', answers: [] }],
    },
    answeredTwice: {
      annualTurnover: 0,
      status: 'aktif',
      followUps: [
        { dueAt: '2024-08-31', answers: [answer(2_000_000, '2024-09-01'), answer(0, '2024-09-05', false)] },
      ],
    },
    tooEarly: {
      annualTurnover: 0,
      status: 'aktif',
      followUps: [{ dueAt: '2024-08-30', answers: [answer(900_000, '2024-08-30')] }],
    },
    notAsked: { annualTurnover: 30_000_000, status: 'aktif', followUps: [] },
    notGraduated: {
      annualTurnover: 0,
      status: 'aktif',
      completed: false,
      followUps: [{ dueAt: '2024-08-31', answers: [answer(1_000_000, '2024-09-01')] }],
    },
  };
  let programId: string;
  let graduates: Graduate[];

  beforeAll(async () => {
    programId = (await makeProgram(end)).id;
    graduates = await seed(programId, end, Object.values(cases));
  });

  it('applies each definition as DOMAIN.md states it', () => {
    const outcome = (name: keyof typeof cases) =>
      graduateOutcome({
        ...(cases[name] as Case),
        programEndDate: end,
        followUps: graduates[Object.keys(cases).indexOf(name)]!.followUps,
      } as Graduate);
    expect(outcome('newBusiness')).toMatchObject({
      newEntrepreneur: true,
      activeAfterFollowUp: true,
      recoveredKnown: false,
    });
    // inactive at enrolment, selling again 6 months on: new, active, and 4M × 12 ≥ 48M recovered
    expect(outcome('reactivated')).toMatchObject({
      newEntrepreneur: true,
      activeAfterFollowUp: true,
      recovered: true,
    });
    expect(outcome('neverAnswered')).toMatchObject({
      asked: true,
      answered: false,
      activeAfterFollowUp: false,
      recoveredKnown: false,
    });
    // the later answer (no sales, not producing) wins for "active"; the follow-up is new-entrepreneur
    // only by its latest answer too
    expect(outcome('answeredTwice')).toMatchObject({
      answered: true,
      newEntrepreneur: false,
      activeAfterFollowUp: false,
    });
    expect(outcome('tooEarly')).toMatchObject({ newEntrepreneur: false, activeAfterFollowUp: true });
    expect(outcome('notAsked')).toMatchObject({ asked: false, answered: false });
  });

  it('counts the same in SQL, with the denominators', async () => {
    const figures = await getOutcomeFigures(t.ctx.db, { programId });
    expect(figures.totals).toMatchObject({
      graduates: 6,
      asked: 5,
      answered: 4,
      selling: 3,
      newEntrepreneurs: 2,
      activeAfterFollowUp: 3,
      recovered: 1,
      recoveredKnown: 1,
    });
    expect(figures.totals).toMatchObject(countOutcomes(graduates));
    expect(figures.byProgram).toHaveLength(1);
    expect(figures.byProgram[0]).toMatchObject({
      programId,
      endDate: end,
      graduates: 6,
      newEntrepreneurs: 2,
    });
    expect(figures.byKecamatan).toEqual([expect.objectContaining({ kecamatan: '62.71.02', graduates: 6 })]);
  });

  it('counts the funnel from application to new entrepreneur, each step within the one before', async () => {
    // two graduates are handed equipment under this program, a third only planned
    const owners = await queryRows<{ business_id: string }>(
      t.ctx.db,
      sql`select business_id from applications where program_id = ${programId} and status = 'completed' order by business_id limit 3`,
    );
    const [stock] = await t.ctx.db
      .insert(aidStock)
      .values({
        organisationId: officer.organisationId ?? '',
        budgetYear: 2024,
        item: `Mesin jahit ${programId.slice(0, 8)}`,
        unit: 'unit',
        unitValue: 1_500_000,
        quantity: 10,
        allocated: 3,
      })
      .returning({ id: aidStock.id });
    await t.ctx.db.insert(aidAllocations).values(
      owners.map((o, k) => ({
        stockId: stock!.id,
        businessId: o.business_id,
        programId,
        quantity: 1,
        status: k < 2 ? ('handed_over' as const) : ('planned' as const),
      })),
    );
    const funnel = await getFunnel(t.ctx.db, { programId });
    expect(funnel.totals).toEqual({
      registered: 7,
      eligible: 7,
      enrolled: 7,
      completed: 6,
      equipped: 2,
      selling: 3,
      newEntrepreneurs: 2,
    });
    expect(funnel.byProgram).toEqual([expect.objectContaining({ programId, completed: 6, equipped: 2 })]);
    expect(funnel.byKecamatan).toEqual([expect.objectContaining({ kecamatan: '62.71.02', registered: 7 })]);
  });

  it('gives the turnover and workers before and after over the graduates who answered', async () => {
    const { totals } = await getOutcomeFigures(t.ctx.db, { programId });
    // answered with a turnover before: newBusiness 0 → 18M, reactivated 48M → 48M,
    // answeredTwice 0 → 0, tooEarly 0 → 10.8M
    expect(totals.turnoverBefore.median).toBe(0);
    expect(totals.turnoverAfter.median).toBe(14_400_000);
    expect(totals).toMatchObject({ turnoverUp: 2, turnoverSame: 2, turnoverDown: 0 });
    expect(totals.workersAfter.median).toBe(2);
  });
});

describe('outcome figures on a crowd, by program, kecamatan and the other dimensions', () => {
  const kecamatan = ['62.71.01.1001', '62.71.02.1004', '62.71.05.1001'];
  let rows: { programId: string; graduates: (Graduate & { kecamatan: string })[] }[] = [];
  let seeded = 0;

  function randomCase(r: () => number): Case {
    const day = (month: number) => `2024-${String(month).padStart(2, '0')}-${r() < 0.5 ? '15' : '28'}`;
    const followUps = Array.from({ length: Math.floor(r() * 3) }, () => ({
      dueAt: day(6 + Math.floor(r() * 6)),
      answers: Array.from({ length: Math.floor(r() * 3) }, (_, k) => ({
        sales: r() < 0.3 ? 0 : Math.floor(r() * 10) * 1_000_000,
        producing: r() < 0.8,
        workers: Math.floor(r() * 5),
        at: `2024-12-${String(1 + k * 3 + Math.floor(r() * 3)).padStart(2, '0')}T08:00:00Z`,
      })),
    }));
    const turnover = [0, null, 12_000_000, 60_000_000][Math.floor(r() * 4)] ?? null;
    return {
      annualTurnover: turnover,
      status: r() < 0.2 ? 'tidak_aktif' : 'aktif',
      workers: Math.floor(r() * 4),
      followUps,
    };
  }

  beforeAll(async () => {
    let s = 12_345;
    const r = () => {
      s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
      return s / 2 ** 31;
    };
    for (const end of ['2024-03-31', '2024-05-15']) {
      const programId = (await makeProgram(end)).id;
      const cases = Array.from({ length: 15 }, () => randomCase(r));
      const graduates = await seed(programId, end, cases, kecamatan);
      rows.push({ programId, graduates });
      seeded += graduates.length;
    }
    rows = rows.slice();
  });

  it('matches the definitions per program and per kecamatan, and the rows add up', async () => {
    const programIds = rows.map((x) => x.programId);
    const figures = await getOutcomeFigures(t.ctx.db, {});
    for (const { programId, graduates } of rows) {
      const row = figures.byProgram.find((p) => p.programId === programId);
      expect(row).toMatchObject(countOutcomes(graduates));
    }
    const mine = rows.flatMap((x) => x.graduates);
    expect(mine).toHaveLength(seeded);
    // Per kecamatan, over these two programs only.
    for (const code of kecamatan.map((k) => k.slice(0, 8))) {
      const expected = countOutcomes(mine.filter((g) => g.kecamatan === code));
      const only = await getOutcomeFigures(t.ctx.db, { kecamatan: code });
      const here = await Promise.all(
        programIds.map((programId) => getOutcomeFigures(t.ctx.db, { programId, kecamatan: code })),
      );
      expect(here.reduce((n, f) => n + f.totals.newEntrepreneurs, 0)).toBe(expected.newEntrepreneurs);
      expect(here.reduce((n, f) => n + f.totals.recoveredKnown, 0)).toBe(expected.recoveredKnown);
      expect(only.byKecamatan.map((k) => k.kecamatan)).toEqual([code]);
    }
    for (const key of [
      'graduates',
      'asked',
      'answered',
      'newEntrepreneurs',
      'activeAfterFollowUp',
      'recovered',
    ] as const) {
      expect(figures.byProgram.reduce((n, p) => n + p[key], 0)).toBe(figures.totals[key]);
      expect(figures.byKecamatan.reduce((n, p) => n + p[key], 0)).toBe(figures.totals[key]);
    }
  });

  it('breaks the same figures down by KBLI, cohort and month, adding up to the totals', async () => {
    const { programId } = rows[0]!;
    const { totals } = await getOutcomeFigures(t.ctx.db, { programId });
    for (const dimension of ['kbli', 'cohort', 'month'] as const) {
      const parts = await getOutcomeBreakdown(t.ctx.db, { programId }, dimension);
      expect(parts.reduce((n, p) => n + p.graduates, 0)).toBe(totals.graduates);
      expect(parts.reduce((n, p) => n + p.newEntrepreneurs, 0)).toBe(totals.newEntrepreneurs);
    }
    expect((await getOutcomeBreakdown(t.ctx.db, { programId }, 'cohort')).map((p) => p.key)).toEqual([
      '2024-03',
    ]);
  });

  it('filters by the year the program ended', async () => {
    const none = await getOutcomeFigures(t.ctx.db, { programId: rows[0]!.programId, year: 2023 });
    expect(none.totals.graduates).toBe(0);
    expect(none.byProgram).toEqual([]);
    const some = await getOutcomeFigures(t.ctx.db, { programId: rows[0]!.programId, year: 2024 });
    expect(some.totals.graduates).toBe(rows[0]!.graduates.length);
  });
});

describe('GET /reports/outcomes and the summary', () => {
  it('holds a kecamatan office to its own kecamatan’s figures', async () => {
    const end = '2024-06-30';
    const programId = (await makeProgram(end)).id;
    const sold = { dueAt: '2024-09-30', answers: [answer(1_000_000, '2024-10-01')] };
    await seed(
      programId,
      end,
      [
        { annualTurnover: 0, status: 'aktif', followUps: [sold] },
        { annualTurnover: 0, status: 'aktif', followUps: [sold] },
        { annualTurnover: 0, status: 'aktif', followUps: [] },
      ],
      ['62.71.02.1004', '62.71.05.1001', '62.71.02.1004'],
    );
    const office = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const ask = (cookie: string, query: string) =>
      t.app.inject({ method: 'GET', url: `/api/v1/reports/outcomes?${query}`, headers: { cookie } });
    const own = await ask(office.cookie, `programId=${programId}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().totals).toMatchObject({ graduates: 2, asked: 1, answered: 1, newEntrepreneurs: 1 });
    expect(own.json().byKecamatan).toEqual([
      expect.objectContaining({ kecamatan: '62.71.02', kecamatanName: 'Bukit Batu', graduates: 2 }),
    ]);
    expect((await ask(office.cookie, `programId=${programId}&kecamatan=62.71.05`)).statusCode).toBe(403);
    const all = await ask(officer.cookie, `programId=${programId}`);
    expect(all.json().totals).toMatchObject({ graduates: 3, newEntrepreneurs: 2 });
    expect(all.json().byProgram).toEqual([expect.objectContaining({ programId, graduates: 3 })]);
    // the summary carries the same figures, for the office's scope
    const summary = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reports/summary',
      headers: { cookie: office.cookie },
    });
    const whole = await getOutcomeFigures(t.ctx.db, { kecamatan: '62.71.02' });
    expect(summary.json()).toMatchObject({
      newEntrepreneurs: whole.totals.newEntrepreneurs,
      activeAfterFollowUp: whole.totals.activeAfterFollowUp,
      outcomes: { graduates: whole.totals.graduates, answered: whole.totals.answered },
    });
  });
});
