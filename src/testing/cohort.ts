import { officeDate } from '../domain/office-time.ts';
import { bulkBusinesses } from './bulk.ts';
import { createProgramAs, type TestApp } from './harness.ts';

// A training class for tests of sessions, attendance and certificates: a program whose dates
// lie around today (in the office's default time zone), and its participants enrolled through
// the API (each judged as a single application).

export const officeTimeZone = 'Asia/Jakarta';

export function officeDay(offsetDays = 0): string {
  const today = officeDate(new Date(), officeTimeZone);
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

export type ClassMember = {
  applicationId: string;
  businessId: string;
  ownerName: string;
  businessName: string;
};

let classes = 0;

export async function createClass(
  t: TestApp,
  cookie: string,
  options: { size: number; startOffset?: number; endOffset?: number; program?: Record<string, unknown> },
) {
  const n = ++classes;
  const program = await createProgramAs(t, cookie, {
    name: `Pelatihan Anyaman Rotan Kelas ${n}`,
    type: 'training',
    capacity: Math.max(options.size, 1) + 5,
    selection: 'first_come',
    startDate: officeDay(options.startOffset ?? -10),
    endDate: officeDay(options.endOffset ?? 10),
    venue: 'Aula Kecamatan Bukit Batu',
    eligibility: true,
    minAttendanceRatio: 0.8,
    ...options.program,
  });
  const made = await bulkBusinesses(t.ctx.db, options.size, {
    ownerName: (i) => `Peserta Kelas${n} Nomor${String(i + 1).padStart(2, '0')}`,
    businessName: (i) => `Anyaman Kelas${n} ${i + 1}`,
  });
  const members: ClassMember[] = [];
  for (const [i, b] of made.entries()) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.id}/applications`,
      headers: { cookie },
      payload: { businessId: b.id },
    });
    if (res.statusCode !== 201 || res.json().status !== 'enrolled')
      throw new Error(`enrol failed: ${res.body}`);
    members.push({
      applicationId: res.json().id,
      businessId: b.id,
      ownerName: `Peserta Kelas${n} Nomor${String(i + 1).padStart(2, '0')}`,
      businessName: b.name,
    });
  }
  return { programId: program.id, members };
}
