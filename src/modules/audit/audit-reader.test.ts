import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createTestApp, createUser, type TestApp } from '../../testing/harness.ts';

// The audit page as an auditor reads it: who (by name), what (by name), when (office time),
// filtered by user, record and period, and exported.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Entry = {
  id: number;
  at: string;
  actorId: string | null;
  actor: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  recordName: string | null;
  after: Record<string, unknown> | null;
};

async function audit(cookie: string, query: Record<string, string>) {
  const res = await t.app.inject({ url: `/api/v1/audit?${new URLSearchParams(query)}`, headers: { cookie } });
  return {
    status: res.statusCode,
    body: res.json() as { items: Entry[]; nextCursor: string | null; timeZone: string },
  };
}

async function setAt(entityId: string, at: string) {
  await t.ctx.db.execute(sql`update audit_log set at = ${at}::timestamptz where entity_id = ${entityId}`);
}

describe('audit log for the auditor', () => {
  it('names who acted and the record, and filters by user and record', async () => {
    const admin = await createUser(t, 'admin');
    const officer = await createUser(t, 'program_officer');
    const other = await createUser(t, 'program_officer');
    const mine = await createBusiness(t, officer.cookie, {
      name: 'Anyaman Rotan Sari',
      ownerName: 'Siti Aminah',
    });
    await createBusiness(t, other.cookie, { name: 'Warung Lain' });

    const byOfficer = await audit(admin.cookie, { actorId: officer.id });
    expect(byOfficer.status).toBe(200);
    expect(byOfficer.body.items.length).toBeGreaterThan(0);
    expect(byOfficer.body.items.every((e) => e.actorId === officer.id)).toBe(true);
    expect(byOfficer.body.items.every((e) => e.actorName === officer.username)).toBe(true);
    const business = byOfficer.body.items.find((e) => e.entity === 'business');
    expect(business).toMatchObject({ entityId: mine.id, recordName: 'Anyaman Rotan Sari', action: 'create' });
    const person = byOfficer.body.items.find((e) => e.entity === 'person');
    expect(person?.recordName).toBe('Siti Aminah');
    // The NIK in the change stays masked for the reader.
    expect(String(person?.after?.nik)).toMatch(/\*/);

    const record = await audit(admin.cookie, { entity: 'business', entityId: mine.id });
    expect(record.body.items.map((e) => e.entityId)).toEqual([mine.id]);
    expect(record.body.timeZone).toBe('Asia/Jakarta');

    const forbidden = await audit(officer.cookie, {});
    expect(forbidden.status).toBe(403);
    const badActor = await audit(admin.cookie, { actorId: 'not-a-user' });
    expect(badActor.status).toBe(400);
  });

  it('filters a period of office days (Asia/Jakarta) and refuses one that ends before it starts', async () => {
    const admin = await createUser(t, 'admin');
    const officer = await createUser(t, 'program_officer');
    const early = await createBusiness(t, officer.cookie);
    const late = await createBusiness(t, officer.cookie);
    // 28 August 2020, 00:30 WIB is still 27 August in UTC.
    await setAt(early.id, '2020-08-27T17:30:00Z');
    // 28 August 2020, 23:30 WIB.
    await setAt(late.id, '2020-08-28T16:30:00Z');

    const day = await audit(admin.cookie, {
      actorId: officer.id,
      entity: 'business',
      from: '2020-08-28',
      to: '2020-08-28',
    });
    expect(day.status).toBe(200);
    expect(day.body.items.map((e) => e.entityId).sort()).toEqual([early.id, late.id].sort());
    const before = await audit(admin.cookie, { actorId: officer.id, entity: 'business', to: '2020-08-27' });
    expect(before.body.items).toEqual([]);
    const after = await audit(admin.cookie, { actorId: officer.id, entity: 'business', from: '2020-08-29' });
    expect(after.body.items).toEqual([]);

    const reversed = await audit(admin.cookie, { from: '2020-08-29', to: '2020-08-28' });
    expect(reversed.status).toBe(400);
    expect((reversed.body as unknown as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it('exports CSV and XLSX in Indonesian, office times, formulas neutralised, and logs the export', async () => {
    const admin = await createUser(t, 'admin');
    const officer = await createUser(t, 'program_officer');
    const hostile = await createBusiness(t, officer.cookie, { name: '=HYPERLINK("http://x.test","klik")' });
    await setAt(hostile.id, '2020-08-28T09:00:00Z');
    const query = new URLSearchParams({ entity: 'business', entityId: hostile.id });

    const csv = await t.app.inject({
      url: `/api/v1/audit/export?${query}&format=csv`,
      headers: { cookie: admin.cookie },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Waktu,Pengguna,Tindakan,Jenis data,Data,ID data,Perubahan');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('2020-08-28 16:00:00');
    expect(lines[1]).toContain(',Membuat,Usaha,');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x.test"",""klik"")"`);
    expect(lines[1]).toContain('Nama: ');
    expect(lines[1]).not.toMatch(/,=/);

    const english = await t.app.inject({
      url: `/api/v1/audit/export?${query}&format=csv&lang=en`,
      headers: { cookie: admin.cookie },
    });
    expect(english.body).toContain('Time,User,Action,Kind of record,Record,Record ID,Changes');
    expect(english.body).toContain(',Created,Business,');

    const xlsx = await t.app.inject({
      url: `/api/v1/audit/export?${query}&format=xlsx`,
      headers: { cookie: admin.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(3).value).toBe('Tindakan');
    expect(sheet.getRow(2).getCell(1).value).toBe('2020-08-28 16:00:00');
    expect(sheet.getRow(2).getCell(3).value).toBe('Membuat');
    expect(sheet.getRow(2).getCell(5).value).toBe(`'=HYPERLINK("http://x.test","klik")`);

    const log = (
      await t.app.inject({ url: '/api/v1/audit/personal-data?limit=10', headers: { cookie: admin.cookie } })
    ).json().items as { subject: string; kind: string; rows: number; filter: { format: string } }[];
    const exports = log.filter((e) => e.subject === 'audit');
    expect(exports.map((e) => e.filter.format).sort()).toEqual(['csv', 'csv', 'xlsx']);
    expect(exports.every((e) => e.kind === 'export' && e.rows === 1)).toBe(true);

    const refused = await t.app.inject({
      url: `/api/v1/audit/export?${query}`,
      headers: { cookie: officer.cookie },
    });
    expect(refused.statusCode).toBe(403);
  });
});
