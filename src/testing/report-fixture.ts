import { eq, inArray } from 'drizzle-orm';
import {
  aidAllocations,
  aidHandovers,
  aidStock,
  applications,
  attendance,
  businesses,
  followUpAnswers,
  followUps,
  people as peopleTable,
  trainingSessions,
} from '../db/schema.ts';
import { bulkBusinesses } from './bulk.ts';
import { createOrganisation, createProgramAs, type TestApp } from './harness.ts';

// Test-only: a finished training program with everything its reports count, straight into the
// tables: five graduates and one dropped participant in Bukit Batu, one graduate in Rakumpit
// (a cell of 1, which public figures suppress), two days of attendance, equipment handed over
// to three graduates (one handover with a photo), and follow-up answers of three graduates who
// had no sales before (new entrepreneurs).

// A 1×1 PNG.
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let made = 0;

export async function seedReportProgram(t: TestApp, cookie: string, options: { year?: number } = {}) {
  const n = ++made;
  const year = options.year ?? 2020;
  const program = await createProgramAs(t, cookie, {
    name: `Pelatihan Rotan Laporan ${n}`,
    type: 'training',
    capacity: 30,
    selection: 'first_come',
    startDate: `${year}-08-24`,
    endDate: `${year}-08-25`,
    venue: 'Aula Kecamatan Bukit Batu',
    eligibility: true,
  });
  const people = await bulkBusinesses(t.ctx.db, 7, {
    regionCodes: [
      '62.71.02.1004',
      '62.71.02.1004',
      '62.71.02.1004',
      '62.71.02.1004',
      '62.71.02.1004',
      '62.71.02.1004',
      '62.71.05.1001',
    ],
    ownerName: (i) => `Peserta Laporan${n} Orang${i + 1}`,
    businessName: (i) => `Anyaman Laporan${n} Usaha${i + 1}`,
    annualTurnover: (i) => (i < 3 ? 0 : 48_000_000),
  });
  const apps = await t.ctx.db
    .insert(applications)
    .values(
      people.map((b, i) => ({
        programId: program.id,
        businessId: b.id,
        status: i === 5 ? ('dropped' as const) : ('completed' as const),
      })),
    )
    .returning({ id: applications.id, businessId: applications.businessId });
  const sessions = await t.ctx.db
    .insert(trainingSessions)
    .values([
      {
        programId: program.id,
        day: 1,
        date: `${year}-08-24`,
        startsAt: '08:00',
        endsAt: '16:00',
        topic: 'Pengenalan bahan rotan',
      },
      {
        programId: program.id,
        day: 2,
        date: `${year}-08-25`,
        startsAt: '08:00',
        endsAt: '16:00',
        topic: 'Teknik anyaman',
      },
    ])
    .returning({ id: trainingSessions.id });
  await t.ctx.db.insert(attendance).values([
    ...apps.map((a) => ({
      sessionId: sessions[0]!.id,
      applicationId: a.id,
      checkedInAt: new Date(`${year}-08-24T01:00:00Z`),
      method: 'manual' as const,
    })),
    ...apps.slice(0, 4).map((a) => ({
      sessionId: sessions[1]!.id,
      applicationId: a.id,
      checkedInAt: new Date(`${year}-08-25T01:00:00Z`),
      method: 'manual' as const,
    })),
  ]);

  const sopd = await createOrganisation(t.ctx, 'sopd');
  const [stock] = await t.ctx.db
    .insert(aidStock)
    .values({
      organisationId: sopd.id,
      budgetYear: year,
      item: `Alat anyam ${n}`,
      unit: 'paket',
      unitValue: 2_500_000,
      quantity: 10,
      allocated: 3,
    })
    .returning({ id: aidStock.id });
  const allocations = await t.ctx.db
    .insert(aidAllocations)
    .values(
      people.slice(0, 3).map((b) => ({
        stockId: stock!.id,
        businessId: b.id,
        programId: program.id,
        quantity: 1,
        status: 'handed_over' as const,
      })),
    )
    .returning({ id: aidAllocations.id });
  await t.ctx.db.insert(aidHandovers).values(
    allocations.map((a, i) => ({
      allocationId: a.id,
      number: `BAST-${n}-${i + 1}-${crypto.randomUUID().slice(0, 8)}`,
      handedOverAt: `${year}-09-01`,
      giverName: 'Petugas SOPD',
      ...(i === 0 ? { photo: tinyPng, photoType: 'image/png' } : {}),
    })),
  );

  for (const a of apps.slice(0, 3)) {
    const [f] = await t.ctx.db
      .insert(followUps)
      .values({
        programId: program.id,
        applicationId: a.id,
        businessId: a.businessId,
        dueAt: `${year}-12-01`,
        token: crypto.randomUUID(),
      })
      .returning({ id: followUps.id });
    await t.ctx.db.insert(followUpAnswers).values({
      followUpId: f!.id,
      salesLastMonth: 3_000_000,
      workers: 1,
      stillProducing: true,
      channels: ['langsung'],
      source: 'phone',
      answeredAt: new Date(`${year}-12-02T03:00:00Z`),
    });
  }
  // the owners' personal data, for tests that prove it is nowhere in public figures
  const owners = await t.ctx.db
    .select({
      nik: peopleTable.nik,
      name: peopleTable.name,
      phone: peopleTable.phone,
      address: peopleTable.address,
      business: businesses.name,
    })
    .from(businesses)
    .innerJoin(peopleTable, eq(peopleTable.id, businesses.ownerId))
    .where(
      inArray(
        businesses.id,
        people.map((b) => b.id),
      ),
    );
  return { programId: program.id, sopdName: sopd.name, people, owners };
}
