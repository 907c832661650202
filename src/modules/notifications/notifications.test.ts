import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publish } from '../../lib/domain-events.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  type FakeHttpProvider,
  type ReceivedMail,
  startFakeHttpProvider,
  startFakeSmtp,
} from '../../testing/fake-providers.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { type ChannelConfig, overrideChannelConfig } from './notifications.config.ts';
import { enqueueSessionReminders, outsideQuietHours, sendDueNotifications } from './notifications.service.ts';

let t: TestApp;
let officer: TestUser;
let admin: TestUser;
let wa: FakeHttpProvider;
let sms: FakeHttpProvider;
let smtp: { url: string; received: ReceivedMail[]; close: () => Promise<void> };
let restore: (() => void) | null = null;

const appSecret = 'app-secret';
const smsSecret = 'sms-secret';

const channels = (which: { whatsapp?: boolean; sms?: boolean; email?: boolean }): Partial<ChannelConfig> => ({
  whatsapp: which.whatsapp
    ? { url: wa.url, token: 'wa-token', phoneNumberId: '1055', appSecret, verifyToken: 'verify-me' }
    : null,
  sms: which.sms ? { url: `${sms.url}/send`, token: 'sms-token', webhookSecret: smsSecret } : null,
  email: which.email ? { url: smtp.url, from: 'Dinas <dinas@example.go.id>' } : null,
  ratePerSecond: { whatsapp: 1000, sms: 1000, email: 1000 },
  maxAttempts: 3,
});

function configure(which: { whatsapp?: boolean; sms?: boolean; email?: boolean }) {
  restore?.();
  restore = overrideChannelConfig(channels(which));
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  admin = await createUser(t, 'admin');
  [wa, sms, smtp] = await Promise.all([
    startFakeHttpProvider('whatsapp'),
    startFakeHttpProvider('sms'),
    startFakeSmtp(),
  ]);
});

afterAll(async () => {
  restore?.();
  restore = null;
  await Promise.all([wa?.close(), sms?.close(), smtp?.close()]);
  await t?.close();
});

beforeEach(() => {
  wa.failNext(0);
  sms.failNext(0);
  restore?.();
  restore = null;
});

type Item = {
  id: string;
  channel: string;
  template: string;
  status: string;
  reason: string | null;
  recipient: string;
  text: string;
  clickToChatUrl: string | null;
  attempts: number;
};

async function participant(
  options: { consent?: ('whatsapp' | 'sms')[]; email?: string; capacity?: number } = {},
) {
  const [business] = await bulkBusinesses(t.ctx.db, 1, { ownerName: () => 'Siti Rahayu' });
  const program = await createProgramAs(t, officer.cookie, {
    name: `Pelatihan Batik ${business!.id.slice(0, 6)}`,
    type: 'training',
    capacity: options.capacity ?? 5,
    selection: 'first_come',
    startDate: '2030-09-01',
    endDate: '2030-09-30',
    eligibility: true,
  });
  for (const channel of options.consent ?? []) await consent(business!.id, channel, true);
  if (options.email) await consent(business!.id, 'email', true, options.email);
  return { business: business!, programId: program.id, digits: business!.phone.slice(1) };
}

async function consent(businessId: string, channel: string, granted: boolean, address?: string) {
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/notification-consents',
    headers: { cookie: officer.cookie },
    payload: { businessId, channel, granted, ...(address ? { address } : {}) },
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function apply(programId: string, businessId: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications`,
    headers: { cookie: officer.cookie },
    payload: { businessId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}

async function messages(applicationId: string, cookie = officer.cookie) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/notifications?applicationId=${applicationId}`,
    headers: { cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Item[] }).items;
}

const sentTo = (fake: FakeHttpProvider, digits: string) =>
  fake.received.filter((r) => r.body.to === digits || r.body.to === `+${digits}`);

const sign = (secret: string, raw: string) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

function webhook(path: string, body: unknown, signature: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/notifications/webhooks/${path}`,
    headers: { 'content-type': 'application/json', ...signature },
    payload: JSON.stringify(body),
  });
}

describe('notifications', () => {
  it('queues an enrolment in the same transaction and sends it as a WhatsApp template message', async () => {
    configure({ whatsapp: true });
    const p = await participant({ consent: ['whatsapp'] });
    const application = await apply(p.programId, p.business.id);
    expect(application.status).toBe('enrolled');
    const [queued] = await messages(application.id);
    expect(queued).toMatchObject({ channel: 'whatsapp', template: 'enrolled', status: 'queued' });
    expect(queued!.text).toContain('Siti Rahayu');
    expect(queued!.recipient).not.toContain(p.digits.slice(2, 8));

    await sendDueNotifications(t.ctx);
    const arrived = sentTo(wa, p.digits);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]!.path).toBe('/1055/messages');
    expect(arrived[0]!.headers.authorization).toBe('Bearer wa-token');
    const body = arrived[0]!.body as {
      type: string;
      template: {
        name: string;
        language: { code: string };
        components: { parameters: { text: string }[] }[];
      };
    };
    expect(body.type).toBe('template');
    expect(body.template.name).toBe('pulih_enrolled');
    expect(body.template.language.code).toBe('id');
    const params = body.template.components[0]!.parameters.map((x) => x.text);
    expect(params[0]).toBe('Siti Rahayu');
    expect(params[1]).toMatch(/^Pelatihan Batik/);
    expect(params[2]).toMatch(/\/status\//);
    expect((await messages(application.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries after a 500 from the provider with backoff, and sends once', async () => {
    configure({ whatsapp: true });
    const p = await participant({ consent: ['whatsapp'] });
    const application = await apply(p.programId, p.business.id);
    wa.failNext(1);
    expect(await sendDueNotifications(t.ctx)).toMatchObject({ retried: 1, sent: 0 });
    const [waiting] = await messages(application.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting!.reason).toMatch(/HTTP 500/);
    // not due yet: the backoff holds it
    expect(await sendDueNotifications(t.ctx)).toMatchObject({ claimed: 0 });
    await t.ctx.db.execute(
      `update notification_outbox set next_attempt_at = now() where application_id = '${application.id}'` as never,
    );
    expect(await sendDueNotifications(t.ctx)).toMatchObject({ sent: 1 });
    expect(sentTo(wa, p.digits)).toHaveLength(1);
    expect((await messages(application.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('fails a message after the last attempt', async () => {
    configure({ whatsapp: true });
    const p = await participant({ consent: ['whatsapp'] });
    const application = await apply(p.programId, p.business.id);
    wa.failNext(3);
    for (let i = 0; i < 3; i++) await sendDueNotifications(t.ctx, { retryBaseMs: 0 });
    expect((await messages(application.id))[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(sentTo(wa, p.digits)).toHaveLength(0);
  });

  it('records not_sent with a reason without consent, and after a STOP reply', async () => {
    configure({ whatsapp: true });
    const none = await participant();
    const first = await apply(none.programId, none.business.id);
    expect((await messages(first.id))[0]).toMatchObject({ status: 'not_sent', reason: 'no_consent' });

    const p = await participant({ consent: ['whatsapp'] });
    const reply = {
      entry: [
        { changes: [{ value: { messages: [{ from: p.digits, type: 'text', text: { body: 'stop' } }] } }] },
      ],
    };
    const raw = JSON.stringify(reply);
    expect(
      (await webhook('whatsapp', reply, { 'x-hub-signature-256': sign(appSecret, raw) })).statusCode,
    ).toBe(200);
    const application = await apply(p.programId, p.business.id);
    expect((await messages(application.id))[0]).toMatchObject({ status: 'not_sent', reason: 'opted_out' });
    expect((await messages(application.id))[0]!.clickToChatUrl).toBeNull();
    const consents = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notification-consents?businessId=${p.business.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(consents.json().items).toEqual([
      expect.objectContaining({ channel: 'whatsapp', granted: false, source: 'reply' }),
    ]);
  });

  it('records consent ticked on the public form, so the first message is queued', async () => {
    configure({ whatsapp: true });
    const p = await participant();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/programs/${p.programId}/applications`,
      payload: { nik: p.business.nik, phone: p.business.phone, consent: true },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const consents = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notification-consents?businessId=${p.business.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(consents.json().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'whatsapp', granted: true, source: 'form' }),
      ]),
    );
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notifications?businessId=${p.business.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(listed.json().items).toEqual([
      expect.objectContaining({ channel: 'whatsapp', template: 'enrolled', status: 'queued' }),
    ]);
  });

  it('with no channel configured, records not_sent and offers a click-to-chat link with the same text', async () => {
    configure({});
    const p = await participant({ consent: ['whatsapp'] });
    const application = await apply(p.programId, p.business.id);
    const [item] = await messages(application.id);
    expect(item).toMatchObject({ status: 'not_sent', reason: 'no_channel', channel: 'whatsapp' });
    const url = new URL(item!.clickToChatUrl!);
    expect(url.host).toBe('wa.me');
    expect(url.pathname).toBe(`/${p.digits}`);
    expect(url.searchParams.get('text')).toBe(item!.text);
    expect(await sendDueNotifications(t.ctx)).toMatchObject({ claimed: 0 });
  });

  it('sends SMS through the gateway when WhatsApp is not configured; signed receipts move it forward only', async () => {
    configure({ sms: true });
    const p = await participant({ consent: ['sms'] });
    const application = await apply(p.programId, p.business.id);
    await sendDueNotifications(t.ctx);
    const [arrived] = sentTo(sms, p.digits);
    expect(arrived!.headers.authorization).toBe('Bearer sms-token');
    const [item] = await messages(application.id);
    expect(arrived!.headers['idempotency-key']).toBe(item!.id);
    expect(arrived!.body).toMatchObject({ to: `+${p.digits}`, text: item!.text, reference: item!.id });
    expect(item).toMatchObject({ channel: 'sms', status: 'sent' });

    const providerId = 'unknown';
    const bad = await webhook(
      'sms',
      { reference: item!.id, status: 'delivered' },
      { 'x-pulih-signature': 'sha256=00' },
    );
    expect(bad.statusCode).toBe(401);
    const unsigned = await webhook('sms', { reference: item!.id, status: 'delivered' }, {});
    expect(unsigned.statusCode).toBe(401);
    expect((await messages(application.id))[0]!.status).toBe('sent');

    const receipt = JSON.stringify({ reference: item!.id, status: 'delivered' });
    const ok = await webhook('sms', JSON.parse(receipt), { 'x-pulih-signature': sign(smsSecret, receipt) });
    expect(ok.json()).toEqual({ receipts: 1 });
    const late = JSON.stringify({ reference: item!.id, status: 'failed', error: providerId });
    await webhook('sms', JSON.parse(late), { 'x-pulih-signature': sign(smsSecret, late) });
    expect((await messages(application.id))[0]).toMatchObject({ status: 'delivered' });
  });

  it('takes WhatsApp receipts by the provider id, verifies the handshake and the signature', async () => {
    configure({ whatsapp: true });
    const p = await participant({ consent: ['whatsapp'] });
    const application = await apply(p.programId, p.business.id);
    await sendDueNotifications(t.ctx);
    const wamid = (await t.ctx.db.execute(
      `select provider_message_id from notification_outbox where application_id = '${application.id}'` as never,
    )) as unknown as { rows: { provider_message_id: string }[] };
    const id = wamid.rows[0]!.provider_message_id;
    expect(id).toMatch(/^wamid\./);

    const receipt = { entry: [{ changes: [{ value: { statuses: [{ id, status: 'delivered' }] } }] }] };
    const raw = JSON.stringify(receipt);
    expect(
      (await webhook('whatsapp', receipt, { 'x-hub-signature-256': sign('wrong', raw) })).statusCode,
    ).toBe(401);
    expect((await messages(application.id))[0]!.status).toBe('sent');
    const ok = await webhook('whatsapp', receipt, { 'x-hub-signature-256': sign(appSecret, raw) });
    expect(ok.json()).toEqual({ receipts: 1 });
    expect((await messages(application.id))[0]!.status).toBe('delivered');

    const handshake = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42',
    });
    expect(handshake.statusCode).toBe(200);
    expect(handshake.body).toBe('42');
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42',
    });
    expect(wrong.statusCode).toBe(403);
  });

  it('sends e-mail over SMTP to an owner who consented with an address', async () => {
    configure({ whatsapp: true, email: true });
    const p = await participant({ consent: ['whatsapp'], email: 'siti@example.id' });
    const application = await apply(p.programId, p.business.id);
    expect((await messages(application.id)).map((m) => m.channel).sort()).toEqual(['email', 'whatsapp']);
    await sendDueNotifications(t.ctx);
    await expect
      .poll(() => smtp.received.filter((m) => m.to.includes('siti@example.id')).length, { timeout: 10_000 })
      .toBe(1);
    const mail = smtp.received.find((m) => m.to.includes('siti@example.id'))!;
    expect(mail.raw).toContain('Subject: Anda diterima');
    expect(mail.raw).toContain('Siti Rahayu');
    expect((await messages(application.id)).every((m) => m.status === 'sent')).toBe(true);
  });

  it('two senders at once send each message once', async () => {
    configure({ whatsapp: true });
    const p = await participant({ consent: ['whatsapp'] });
    await apply(p.programId, p.business.id);
    // the same person in two more programs: three messages for one recipient
    for (let i = 0; i < 2; i++) {
      const other = await createProgramAs(t, officer.cookie, {
        name: `Program ${i} ${p.business.id.slice(0, 6)}`,
        type: 'training',
        capacity: 5,
        selection: 'first_come',
        startDate: '2030-09-01',
        endDate: '2030-09-30',
        eligibility: true,
      });
      await apply(other.id, p.business.id);
    }
    await Promise.all([
      sendDueNotifications(t.ctx),
      sendDueNotifications(t.ctx),
      sendDueNotifications(t.ctx),
    ]);
    expect(sentTo(wa, p.digits)).toHaveLength(3);
  });

  it('a kecamatan officer sees only messages of businesses in the kecamatan; an owner no link', async () => {
    configure({});
    const p = await participant();
    const application = await apply(p.programId, p.business.id);
    const own = await createUser(t, 'kecamatan_officer', { regionCode: p.business.kecamatanCode });
    const other = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.01' });
    expect(await messages(application.id, own.cookie)).toHaveLength(1);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notifications?applicationId=${application.id}`,
      headers: { cookie: other.cookie },
    });
    expect(res.statusCode).toBe(404);
    const owner = await createUser(t, 'owner', { personId: p.business.personId });
    const [seen] = await messages(application.id, owner.cookie);
    expect(seen).toMatchObject({ status: 'not_sent' });
    expect(seen!.clickToChatUrl).toBeNull();
  });

  it('queues a certificate message with its verify link, once per certificate', async () => {
    configure({});
    const p = await participant();
    const application = await apply(p.programId, p.business.id);
    const event = {
      type: 'certificate.issued' as const,
      items: [{ applicationId: application.id, code: 'PLH-2030-TEST-0001' }],
    };
    await t.ctx.db.transaction((tx) => publish(tx, event));
    await t.ctx.db.transaction((tx) => publish(tx, event));
    const certificate = (await messages(application.id)).filter((m) => m.template === 'certificate_issued');
    expect(certificate).toHaveLength(1);
    expect(certificate[0]!.text).toContain('/sertifikat/PLH-2030-TEST-0001');
  });

  it('queues nothing when the deciding transaction rolls back', async () => {
    configure({});
    const p = await participant();
    const application = await apply(p.programId, p.business.id);
    const before = (await messages(application.id)).length;
    const event = {
      type: 'certificate.issued' as const,
      items: [{ applicationId: application.id, code: 'PLH-2030-ROLL-BACK' }],
    };
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await publish(tx, event);
        throw new Error('the decision fails after publishing');
      }),
    ).rejects.toThrow('the decision fails');
    expect(await messages(application.id)).toHaveLength(before);
  });

  it('queues the session reminder the day before once, outside quiet hours', async () => {
    configure({ whatsapp: true });
    const p = await participant({ consent: ['whatsapp'] });
    const application = await apply(p.programId, p.business.id);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.programId}/sessions`,
      headers: { cookie: officer.cookie },
      payload: { day: 1, date: '2030-09-02', startsAt: '09:00', endsAt: '12:00' },
    });
    expect(res.statusCode, res.body).toBe(201);
    // 2030-09-01 20:00 WIB (13:00 UTC): the day before
    const now = new Date('2030-09-01T13:00:00Z');
    await enqueueSessionReminders(t.ctx, now);
    await enqueueSessionReminders(t.ctx, now);
    const reminders = (await messages(application.id)).filter((m) => m.template === 'session_reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.text).toContain('02-09-2030');
    expect(reminders[0]!.text).toContain('09:00');
  });

  it('holds messages due in quiet hours until they end, in the office time zone', () => {
    const quiet = { from: 21, to: 7 };
    // 22:30 WIB → 07:00 WIB next day
    expect(outsideQuietHours(new Date('2030-09-01T15:30:00Z'), 'Asia/Jakarta', quiet).toISOString()).toBe(
      '2030-09-02T00:00:00.000Z',
    );
    // 05:00 WIB → 07:00 WIB the same day
    expect(outsideQuietHours(new Date('2030-09-01T22:00:00Z'), 'Asia/Jakarta', quiet).toISOString()).toBe(
      '2030-09-02T00:00:00.000Z',
    );
    // 12:00 WIB: not quiet
    const noon = new Date('2030-09-02T05:00:00Z');
    expect(outsideQuietHours(noon, 'Asia/Jakarta', quiet)).toEqual(noon);
    // WITA is an hour ahead: 22:30 WITA → 07:00 WITA
    expect(outsideQuietHours(new Date('2030-09-01T14:30:00Z'), 'Asia/Makassar', quiet).toISOString()).toBe(
      '2030-09-01T23:00:00.000Z',
    );
  });

  it('answers quiet hours right within a minute and across the minute they start', () => {
    const quiet = { from: 21, to: 7 };
    const at = (iso: string) => outsideQuietHours(new Date(iso), 'Asia/Jakarta', quiet).toISOString();
    // 20:59 WIB, twice in the same minute: not quiet, each answered with its own instant
    expect(at('2030-09-01T13:59:00.000Z')).toBe('2030-09-01T13:59:00.000Z');
    expect(at('2030-09-01T13:59:59.999Z')).toBe('2030-09-01T13:59:59.999Z');
    // 21:00 WIB, the next minute: quiet until 07:00 WIB
    expect(at('2030-09-01T14:00:00.000Z')).toBe('2030-09-02T00:00:00.000Z');
    expect(at('2030-09-01T14:00:30.000Z')).toBe('2030-09-02T00:00:00.000Z');
    // the same minute in another zone (WITA, 22:00): its own answer
    expect(
      outsideQuietHours(new Date('2030-09-01T14:00:30.000Z'), 'Asia/Makassar', quiet).toISOString(),
    ).toBe('2030-09-01T23:00:00.000Z');
    // other hours in the same minute: their own answer
    const later = new Date('2030-09-01T14:00:30.000Z');
    expect(outsideQuietHours(later, 'Asia/Jakarta', { from: 22, to: 6 })).toEqual(later);
    // a caller changing its answer changes no one else's
    outsideQuietHours(new Date('2030-09-01T14:00:10.000Z'), 'Asia/Jakarta', quiet).setUTCFullYear(2000);
    expect(at('2030-09-01T14:00:40.000Z')).toBe('2030-09-02T00:00:00.000Z');
  });

  it('lets an admin edit and preview a template; the next message uses it', async () => {
    configure({});
    const put = (cookie: string, body: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/notification-templates/waitlisted/id',
        headers: { cookie },
        payload: body,
      });
    const text = {
      subject: 'Antre',
      body: 'Hai {{name}}, Anda antre di {{program}}.',
      whatsappName: 'pulih_waitlisted_v2',
    };
    expect((await put(officer.cookie, text)).statusCode).toBe(403);
    expect((await put(admin.cookie, { ...text, body: 'Hai {{nama}}' })).statusCode).toBe(400);
    const saved = await put(admin.cookie, text);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ edited: true, whatsappName: 'pulih_waitlisted_v2' });
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notification-templates/preview',
      headers: { cookie: admin.cookie },
      payload: { key: 'waitlisted', language: 'id', body: 'Hai {{name}} {{oops}}' },
    });
    expect(preview.json()).toEqual({ text: 'Hai Siti Aminah ', unknownVariables: ['oops'] });

    const p = await participant({ capacity: 1 });
    await apply(p.programId, p.business.id);
    const [second] = await bulkBusinesses(t.ctx.db, 1, { ownerName: () => 'Budi' });
    const waitlisted = await apply(p.programId, second!.id);
    expect(waitlisted.status).toBe('waitlisted');
    const [item] = await messages(waitlisted.id);
    expect(item!.text).toMatch(/^Hai Budi, Anda antre di Pelatihan Batik/);
    // put the shipped text back for the other its
    await t.ctx.db.execute("delete from notification_templates where key = 'waitlisted'" as never);
  });
});
