import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businesses } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { programWithGraduates } from '../../testing/graduates.ts';
import {
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
  withOfficeTimeZone,
} from '../../testing/harness.ts';

// Follow-ups (issue 12, point 1): opened once per graduate and due day, asked through the
// outbox, answered on a plain HTML form without JavaScript or by an officer, validated, the
// latest answer counting; a kecamatan office within its kecamatan.

let t: TestApp;
let officer: TestUser;
let kecamatanOfficer: TestUser;

// the fixture's kelurahan in Bukit Batu (62.71.02) and in Jekan Raya (62.71.05)
const regions = ['62.71.02.1004', '62.71.05.1001'];

type Item = {
  id: string;
  applicationId: string;
  businessId: string;
  kecamatan: string;
  dueAt: string;
  link: string;
  whatsappUrl: string | null;
  answers: { salesLastMonth: number; source: string; stillProducing: boolean; channels: string[] } | null;
  answerCount: number;
};

const api = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

async function openedProgram(count: number, dueAt = '2020-11-28') {
  const { programId, businessIds } = await programWithGraduates(t, officer.cookie, count, regions);
  const res = await api(officer.cookie, 'POST', `/programs/${programId}/follow-ups`, { dueAt });
  expect(res.statusCode, res.body).toBe(200);
  const list = await api(officer.cookie, 'GET', `/programs/${programId}/follow-ups`);
  expect(list.statusCode, list.body).toBe(200);
  return { programId, businessIds, items: (list.json() as { items: Item[] }).items };
}

const tokenOf = (item: Item) => new URL(item.link).pathname.split('/').pop() ?? '';

// As a browser without JavaScript sends the form.
const postForm = (token: string, form: string, lang = '') =>
  t.app.inject({
    method: 'POST',
    url: `/tindak-lanjut/${token}${lang ? `?lang=${lang}` : ''}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form,
  });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});

afterAll(async () => {
  await t.close();
});

describe('opening follow-ups', () => {
  it('opens one per graduate, asks each through the outbox, and never twice for one day', async () => {
    const { programId, items } = await openedProgram(3);
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(item).toMatchObject({ dueAt: '2020-11-28', answers: null, answerCount: 0 });
      expect(item.link).toMatch(/\/tindak-lanjut\/[A-Za-z0-9_-]{32}$/);
      expect(item.whatsappUrl).toMatch(/^https:\/\/wa\.me\/628\d+\?text=.*tindak-lanjut/);
    }
    const again = await api(officer.cookie, 'POST', `/programs/${programId}/follow-ups`, {
      dueAt: '2020-11-28',
    });
    expect(again.json()).toEqual({ dueAt: '2020-11-28', graduates: 3, opened: 0 });
    const outbox = await queryRows<{ template: string; n: number }>(
      t.ctx.db,
      sql`select template, count(*)::int as n from notification_outbox where program_id = ${programId} group by template`,
    );
    expect(outbox).toEqual([{ template: 'followup_requested', n: 3 }]);
    // a second due day opens a second round
    const later = await api(officer.cookie, 'POST', `/programs/${programId}/follow-ups`, {
      dueAt: '2021-02-28',
    });
    expect(later.json()).toMatchObject({ opened: 3 });
  });

  it('refuses a due day before the program ends', async () => {
    const { programId } = await programWithGraduates(t, officer.cookie, 1, regions);
    const res = await api(officer.cookie, 'POST', `/programs/${programId}/follow-ups`, {
      dueAt: '2020-08-01',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('follow_up_too_early');
  });
});

describe('the public form without JavaScript', () => {
  it('shows the questions in Indonesian, or English on request, and a 404 page for an unknown link', async () => {
    const { items } = await openedProgram(1);
    const token = tokenOf(items[0]!);
    const page = await t.app.inject({ method: 'GET', url: `/tindak-lanjut/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toMatch(/<form[^>]*method="post"/);
    expect(page.body).toContain('Omzet (penjualan) bulan lalu');
    for (const name of ['salesLastMonth', 'workers', 'stillProducing', 'channels', 'aidInUse', 'remark'])
      expect(page.body).toContain(`name="${name}"`);
    expect(page.body).not.toContain('<script');
    const english = await t.app.inject({ method: 'GET', url: `/tindak-lanjut/${token}?lang=en` });
    expect(english.body).toContain('Sales (turnover) last month');
    const unknown = await t.app.inject({ method: 'GET', url: `/tindak-lanjut/${'x'.repeat(32)}` });
    expect(unknown.statusCode).toBe(404);
  });

  it('takes an answer posted as a plain form and shows it was saved', async () => {
    const { programId, items } = await openedProgram(1);
    const token = tokenOf(items[0]!);
    const res = await postForm(
      token,
      'salesLastMonth=Rp+1.500.000&workers=3&stillProducing=yes&channels=pasar&channels=media_sosial&aidInUse=no&aidNotUsedReason=Listrik+belum+cukup&remark=Laris',
    );
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/tindak-lanjut/${token}?saved=1`);
    const saved = await t.app.inject({ method: 'GET', url: res.headers.location as string });
    expect(saved.body).toContain('jawaban Anda tersimpan');
    expect(saved.body).toContain('value="1500000"');
    const list = (await api(officer.cookie, 'GET', `/programs/${programId}/follow-ups`)).json() as {
      items: Item[];
    };
    expect(list.items[0]!.answers).toMatchObject({
      salesLastMonth: 1_500_000,
      stillProducing: true,
      channels: ['pasar', 'media_sosial'],
      source: 'self',
    });
  });

  it("shows the day of the last answer on the office's clock (WIT), not Jakarta's", async () => {
    const { items } = await openedProgram(1);
    const token = tokenOf(items[0]!);
    expect((await postForm(token, 'salesLastMonth=1000000&workers=1&stillProducing=yes')).statusCode).toBe(
      303,
    );
    // 16:30 UTC on 14 March 2025 is 23:30 WIB the same day, but 01:30 WIT on the 15th.
    await t.ctx.db.execute(
      sql`update follow_up_answers set answered_at = '2025-03-14T16:30:00Z'
          where follow_up_id = (select id from follow_ups where token = ${token})`,
    );
    const page = await withOfficeTimeZone(t, 'Asia/Jayapura', () =>
      t.app.inject({ method: 'GET', url: `/tindak-lanjut/${token}` }),
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('15 Maret 2025');
    expect(page.body).not.toContain('14 Maret 2025');
    // The due day is a calendar day: the same in every zone.
    expect(page.body).toContain('28 November 2020');
  });

  it('returns the form with what was typed when an answer is not valid', async () => {
    const { items } = await openedProgram(1);
    const token = tokenOf(items[0]!);
    const res = await postForm(token, 'salesLastMonth=satu+juta&workers=2&stillProducing=yes', 'en');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('value="satu juta"');
    const negative = await postForm(token, 'salesLastMonth=-5000&workers=2&stillProducing=yes');
    expect(negative.statusCode).toBe(400);
  });

  it('asks to confirm sales far above the recorded size, and takes them once confirmed', async () => {
    const { items } = await openedProgram(1);
    const token = tokenOf(items[0]!);
    // the business records Rp60 juta a year (mikro); Rp5 miliar a month is Rp60 miliar a year
    const form = 'salesLastMonth=5.000.000.000&workers=2&stillProducing=yes';
    const refused = await postForm(token, form);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('name="confirmed"');
    const confirmed = await postForm(token, `${form}&confirmed=1`);
    expect(confirmed.statusCode).toBe(303);
  });
});

describe('answers recorded by an officer', () => {
  it('keeps every answer and lets the latest count', async () => {
    const { items } = await openedProgram(1);
    const id = items[0]!.id;
    const first = await api(officer.cookie, 'POST', `/follow-ups/${id}/answers`, {
      salesLastMonth: 2_000_000,
      workers: 2,
      stillProducing: true,
      channels: ['langsung'],
      aidInUse: true,
      source: 'phone',
    });
    expect(first.statusCode, first.body).toBe(200);
    const second = await api(officer.cookie, 'POST', `/follow-ups/${id}/answers`, {
      salesLastMonth: 0,
      workers: 1,
      stillProducing: false,
      channels: [],
      aidInUse: false,
      aidNotUsedReason: 'Rusak',
      source: 'visit',
    });
    expect(second.json()).toMatchObject({
      answerCount: 2,
      answers: { salesLastMonth: 0, stillProducing: false, source: 'visit', aidNotUsedReason: 'Rusak' },
    });
    const rows = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from follow_up_answers where follow_up_id = ${id}`,
    );
    expect(rows[0]!.n).toBe(2);
  });

  it('refuses negative or implausible sales with a clear code, and an unknown source', async () => {
    const { items } = await openedProgram(1);
    const id = items[0]!.id;
    const body = { workers: 2, stillProducing: true, channels: [], aidInUse: null, source: 'phone' };
    const negative = await api(officer.cookie, 'POST', `/follow-ups/${id}/answers`, {
      ...body,
      salesLastMonth: -1,
    });
    expect(negative.statusCode).toBe(400);
    const absurd = await api(officer.cookie, 'POST', `/follow-ups/${id}/answers`, {
      ...body,
      salesLastMonth: 2_000_000_000,
    });
    expect(absurd.statusCode).toBe(422);
    expect(absurd.json().error).toMatchObject({
      code: 'follow_up_sales_implausible',
      details: { field: 'salesLastMonth', annualCeiling: 15_000_000_000 },
    });
    const sure = await api(officer.cookie, 'POST', `/follow-ups/${id}/answers`, {
      ...body,
      salesLastMonth: 2_000_000_000,
      confirmed: true,
    });
    expect(sure.statusCode).toBe(200);
    const email = await api(officer.cookie, 'POST', `/follow-ups/${id}/answers`, {
      ...body,
      salesLastMonth: 1,
      source: 'self',
    });
    expect(email.statusCode).toBe(400);
  });

  it('takes a larger business’s bigger sales without asking', async () => {
    const { items } = await openedProgram(1);
    await t.ctx.db
      .update(businesses)
      .set({ annualTurnover: 10_000_000_000 })
      .where(sql`id = ${items[0]!.businessId}`);
    const res = await api(officer.cookie, 'POST', `/follow-ups/${items[0]!.id}/answers`, {
      salesLastMonth: 2_000_000_000,
      workers: 40,
      stillProducing: true,
      source: 'visit',
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('a kecamatan office', () => {
  it('sees and answers its own kecamatan’s follow-ups only', async () => {
    const { programId, items } = await openedProgram(4);
    const list = await api(kecamatanOfficer.cookie, 'GET', `/programs/${programId}/follow-ups`);
    const mine = (list.json() as { items: Item[] }).items;
    expect(mine.map((i) => i.kecamatan)).toEqual(['62.71.02', '62.71.02']);
    const other = items.find((i) => i.kecamatan === '62.71.05')!;
    const body = { salesLastMonth: 1000, workers: 1, stillProducing: true, source: 'visit' };
    expect(
      (await api(kecamatanOfficer.cookie, 'POST', `/follow-ups/${other.id}/answers`, body)).statusCode,
    ).toBe(404);
    expect(
      (await api(kecamatanOfficer.cookie, 'POST', `/follow-ups/${mine[0]!.id}/answers`, body)).statusCode,
    ).toBe(200);
  });

  it('may not open follow-ups', async () => {
    const { programId } = await programWithGraduates(t, officer.cookie, 1, regions);
    const res = await api(kecamatanOfficer.cookie, 'POST', `/programs/${programId}/follow-ups`, {
      dueAt: '2020-11-28',
    });
    expect(res.statusCode).toBe(403);
  });
});
