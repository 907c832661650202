// Test-only: a program and its graduates (completed applications) straight into the tables,
// for what runs over a whole class (cohort aid allocation and its benchmark).
import { applications } from '../db/schema.ts';
import { bulkBusinesses } from './bulk.ts';
import { createProgramAs, type TestApp } from './harness.ts';

export async function programWithGraduates(
  t: TestApp,
  cookie: string,
  count: number,
  regionCodes?: string[],
) {
  const program = await createProgramAs(t, cookie, {
    name: `Pelatihan Anyaman Rotan ${Math.random().toString(36).slice(2, 8)}`,
    type: 'training',
    capacity: Math.max(count, 1),
    selection: 'first_come',
    startDate: '2020-08-24',
    endDate: '2020-08-28',
    venue: 'Aula Kecamatan Bukit Batu',
    eligibility: true,
  });
  return { programId: program.id, businessIds: await addGraduates(t, program.id, count, regionCodes) };
}

export async function addGraduates(t: TestApp, programId: string, count: number, regionCodes?: string[]) {
  const businesses = await bulkBusinesses(t.ctx.db, count, regionCodes ? { regionCodes } : {});
  const base = Date.now() - count;
  if (count > 0) {
    await t.ctx.db.insert(applications).values(
      businesses.map((b, k) => ({
        programId,
        businessId: b.id,
        status: 'completed' as const,
        source: 'officer' as const,
        createdAt: new Date(base + k),
        updatedAt: new Date(base + k),
      })),
    );
  }
  return businesses.map((b) => b.id);
}
