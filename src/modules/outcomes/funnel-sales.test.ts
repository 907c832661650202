import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, followUpAnswers, followUps, sales } from '../../db/schema.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import { createProgramAs, createTestApp, createUser, type TestApp } from '../../testing/harness.ts';
import { getFunnel } from './outcomes.service.ts';

// The funnel's "selling" step: a graduate whose latest follow-up answer reports sales, or whose
// business has sales recorded (sales module) dated after the program's last day; once each.

let t: TestApp;
let programId: string;
const endDate = '2024-03-29';

type Case = {
  kecamatan: string;
  completed: boolean;
  answerSales?: number;
  saleDates?: string[];
};

const cases: Case[] = [
  // no follow-up answer, sold after the end: selling
  { kecamatan: '62.71.01.1001', completed: true, saleDates: ['2024-05-02'] },
  // sold only before and on the program's last day: not selling
  { kecamatan: '62.71.02.1004', completed: true, saleDates: ['2024-01-10', endDate] },
  // answered with sales, nothing recorded: selling
  { kecamatan: '62.71.02.1004', completed: true, answerSales: 900_000 },
  // both answered with sales and sold after the end: selling, counted once
  {
    kecamatan: '62.71.02.1004',
    completed: true,
    answerSales: 500_000,
    saleDates: ['2024-04-01', '2024-06-01'],
  },
  // answered "no sales", nothing recorded: not selling
  { kecamatan: '62.71.02.1004', completed: true, answerSales: 0 },
  // enrolled, not completed, sold after the end: not a graduate, so not selling
  { kecamatan: '62.71.02.1004', completed: false, saleDates: ['2024-05-02'] },
];

beforeAll(async () => {
  t = await createTestApp();
  const officer = await createUser(t, 'program_officer');
  const program = await createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Penjualan Lulusan',
    type: 'training',
    capacity: 20,
    startDate: '2024-03-25',
    endDate,
    eligibility: true,
  });
  programId = program.id;
  for (const c of cases) {
    const [b] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: [c.kecamatan] });
    const [app] = await t.ctx.db
      .insert(applications)
      .values({ programId, businessId: b!.id, status: c.completed ? 'completed' : 'enrolled' })
      .returning({ id: applications.id });
    if (c.answerSales !== undefined) {
      const [f] = await t.ctx.db
        .insert(followUps)
        .values({
          programId,
          applicationId: app!.id,
          businessId: b!.id,
          dueAt: '2024-06-29',
          token: crypto.randomUUID(),
        })
        .returning({ id: followUps.id });
      await t.ctx.db.insert(followUpAnswers).values({
        followUpId: f!.id,
        salesLastMonth: c.answerSales,
        workers: 1,
        stillProducing: true,
        source: 'phone',
        answeredAt: new Date('2024-07-01T03:00:00Z'),
      });
    }
    for (const date of c.saleDates ?? [])
      await t.ctx.db.insert(sales).values({ businessId: b!.id, date, amount: 250_000, channel: 'langsung' });
  }
});

afterAll(async () => {
  await t?.close();
});

describe('the funnel counts graduates selling by follow-up answer or recorded sales', () => {
  it('counts a graduate with sales recorded after the program ended, once, and no one else', async () => {
    const funnel = await getFunnel(t.ctx.db, { programId });
    expect(funnel.totals).toMatchObject({ registered: 6, enrolled: 6, completed: 5, selling: 3 });
    expect(funnel.byProgram).toEqual([expect.objectContaining({ programId, completed: 5, selling: 3 })]);
  });

  it('splits the selling graduates by kecamatan, adding up to the total', async () => {
    const funnel = await getFunnel(t.ctx.db, { programId });
    expect(funnel.byKecamatan).toEqual([
      expect.objectContaining({ kecamatan: '62.71.01', completed: 1, selling: 1 }),
      expect.objectContaining({ kecamatan: '62.71.02', completed: 4, selling: 2 }),
    ]);
  });

  it('holds a kecamatan office to its own graduates', async () => {
    const funnel = await getFunnel(t.ctx.db, { programId, kecamatan: '62.71.01' });
    expect(funnel.totals).toMatchObject({ completed: 1, selling: 1 });
  });
});
