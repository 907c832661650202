import { createHmac, timingSafeEqual } from 'node:crypto';
import { requireAccess } from '../../access/access.service.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { officeDateTime, startOfOfficeDay } from '../../domain/office-time.ts';
import { maskPhone, normalizePhone, whatsappLink } from '../../domain/phone.ts';
import type { AppContext } from '../../lib/context.ts';
import type { ApplicationDraft, DomainEvent, PreparedOutbox, Preparer } from '../../lib/domain-events.ts';
import { fail } from '../../lib/errors.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getOfficeBasics, officeTimeZone, storedPublicUrl } from '../settings/settings.service.ts';
import { anyChannel, type ChannelConfig, channelConfig } from './notifications.config.ts';
import {
  type ApplicationDraftFacts,
  applicationDraftRead,
  applicationRecipients,
  applyReceipt,
  businessOfApplication,
  businessRecipient,
  claimDue,
  consentsOf,
  getOutboxRows,
  insertOutboxRows,
  listOutbox,
  listTemplateRows,
  markFailed,
  markRetry,
  markSent,
  markUnroutable,
  type OutboxInsert,
  type OutboxRow,
  peopleWithPhone,
  sessionsOn,
  sessionWithParticipants,
  upsertConsent,
  upsertTemplate,
} from './notifications.queries.ts';
import type {
  NotificationChannel,
  NotificationItem,
  NotificationTemplate,
  TemplateKey,
  TemplateLanguage,
} from './notifications.schema.ts';
import { notificationChannels, templateKeys } from './notifications.schema.ts';
import { type OutgoingMessage, SendError, sendMessage } from './notifications.senders.ts';
import {
  renderTemplate,
  sampleVariables,
  templateDefaults,
  unknownVariables,
} from './notifications.templates.ts';

// ---- templates ----

type TemplateRow = Pick<
  Awaited<ReturnType<typeof listTemplateRows>>[number],
  'key' | 'language' | 'subject' | 'body' | 'whatsappName'
>;

function effectiveTemplate(
  rows: TemplateRow[],
  key: TemplateKey,
  language: TemplateLanguage,
): NotificationTemplate {
  const shipped = templateDefaults[key];
  const edited = rows.find((r) => r.key === key && r.language === language);
  return {
    key,
    language,
    subject: edited?.subject ?? shipped.text[language].subject,
    body: edited?.body ?? shipped.text[language].body,
    whatsappName: edited?.whatsappName ?? shipped.whatsappName,
    variables: shipped.variables,
    edited: edited !== undefined,
  };
}

export async function listTemplates(ctx: AppContext): Promise<NotificationTemplate[]> {
  const rows = await listTemplateRows(ctx.db);
  return templateKeys.flatMap((key) =>
    (['id', 'en'] as const).map((lang) => effectiveTemplate(rows, key, lang)),
  );
}

export async function updateTemplate(
  ctx: AppContext,
  actor: Actor,
  key: TemplateKey,
  language: TemplateLanguage,
  body: { subject: string; body: string; whatsappName: string },
): Promise<NotificationTemplate> {
  const unknown = unknownVariables(key, body.body);
  if (unknown.length > 0)
    fail(
      'validation_failed',
      { field: 'body', unknownVariables: unknown },
      'The text uses unknown variables.',
    );
  return ctx.db.transaction(async (tx) => {
    const before = effectiveTemplate(await listTemplateRows(tx), key, language);
    await upsertTemplate(tx, { key, language, ...body, updatedBy: actor.userId });
    await recordChange(tx, actor, {
      action: 'update',
      entity: 'notification_template',
      entityId: `${key}:${language}`,
      before: { subject: before.subject, body: before.body, whatsappName: before.whatsappName },
      after: body,
    });
    return effectiveTemplate(await listTemplateRows(tx), key, language);
  });
}

export async function previewTemplate(
  ctx: AppContext,
  input: { key: TemplateKey; language: TemplateLanguage; body?: string | undefined },
) {
  const template = effectiveTemplate(await listTemplateRows(ctx.db), input.key, input.language);
  const body = input.body ?? template.body;
  return { text: renderTemplate(body, sampleVariables), unknownVariables: unknownVariables(input.key, body) };
}

// ---- enqueue: inside the transaction of the event ----

// One message to write: who, about what, with which variables.
export type NotificationTarget = {
  eventKey: string;
  template: TemplateKey;
  variables: Record<string, string>;
  personId: string | null;
  phone: string | null;
  // an address given with the event (a complaint), consented to by giving it
  email?: string | null;
  consentGiven?: boolean;
  businessId?: string | null;
  applicationId?: string | null;
  programId?: string | null;
};

// Quiet hours in the office's zone: a message due inside them waits until they end.
export function outsideQuietHours(at: Date, timeZone: string, quiet: ChannelConfig['quietHours']): Date {
  if (!quiet || quiet.from === quiet.to) return at;
  // Every application asks this for its messages, with the time of the request; the answer is
  // the same for a whole UTC minute (zone offsets are whole minutes), so the last minute's is
  // kept: reading the wall clock through Intl was 4 % of a burst's server CPU (apply-floor).
  const minute = Math.floor(at.getTime() / 60_000);
  const kept = lastQuiet;
  if (
    kept &&
    kept.minute === minute &&
    kept.timeZone === timeZone &&
    kept.from === quiet.from &&
    kept.to === quiet.to
  )
    return kept.until ? new Date(kept.until) : at;
  const until = quietUntil(at, timeZone, quiet);
  lastQuiet = { minute, timeZone, from: quiet.from, to: quiet.to, until };
  return until ? new Date(until) : at;
}

let lastQuiet: { minute: number; timeZone: string; from: number; to: number; until: Date | null } | null =
  null;

// The end of the quiet hours `at` falls in, or null outside them.
function quietUntil(at: Date, timeZone: string, quiet: { from: number; to: number }): Date | null {
  const local = officeDateTime(at, timeZone); // "YYYY-MM-DD HH:MM:SS"
  const day = local.slice(0, 10);
  const hour = Number(local.slice(11, 13));
  const inside =
    quiet.from > quiet.to ? hour >= quiet.from || hour < quiet.to : hour >= quiet.from && hour < quiet.to;
  if (!inside) return null;
  let endDay = day;
  if (quiet.from > quiet.to && hour >= quiet.from) {
    const next = new Date(`${day}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    endDay = next.toISOString().slice(0, 10);
  }
  return new Date(startOfOfficeDay(endDay, timeZone).getTime() + quiet.to * 3_600_000);
}

const phoneDigits = (phone: string | null) => {
  if (!phone) return null;
  const normalized = normalizePhone(phone);
  return normalized.ok ? normalized.value.slice(1) : null;
};

export async function enqueueTargets(tx: Tx, targets: NotificationTarget[], now = new Date()) {
  if (targets.length === 0) return 0;
  const personIds = [...new Set(targets.map((t) => t.personId).filter((id): id is string => id !== null))];
  return insertOutboxRows(
    tx,
    outboxRowsFor(targets, {
      templates: await listTemplateRows(tx),
      timeZone: await officeTimeZone(tx),
      consents: await consentsOf(tx, personIds),
      now,
    }),
  );
}

// The outbox rows of the targets: one per channel that reaches the person, each with its status
// (queued, or not_sent and why). Both ways of queueing (a published event, a prepared one)
// build their rows here.
function outboxRowsFor(
  targets: NotificationTarget[],
  read: {
    templates: TemplateRow[];
    timeZone: string;
    consents: { personId: string; channel: string; granted: boolean; address: string | null }[];
    now: Date;
  },
): OutboxInsert[] {
  const config = channelConfig();
  const { templates } = read;
  const dueAt = outsideQuietHours(read.now, read.timeZone, config.quietHours);
  const consents = new Map(read.consents.map((c) => [`${c.personId}:${c.channel}`, c]));
  const configured = anyChannel(config);
  const rows: OutboxInsert[] = [];
  for (const target of targets) {
    const template = effectiveTemplate(templates, target.template, 'id');
    const body = renderTemplate(template.body, target.variables);
    const base = {
      eventKey: target.eventKey,
      template: target.template,
      language: 'id',
      variables: target.variables,
      body,
      personId: target.personId,
      businessId: target.businessId ?? null,
      applicationId: target.applicationId ?? null,
      programId: target.programId ?? null,
      nextAttemptAt: dueAt,
    };
    const consentFor = (channel: NotificationChannel) =>
      target.consentGiven ? { granted: true, address: null } : consents.get(`${target.personId}:${channel}`);
    const statusFor = (channel: NotificationChannel) => {
      if (!configured) return { status: 'not_sent' as const, reason: 'no_channel' };
      const consent = consentFor(channel);
      if (!consent) return { status: 'not_sent' as const, reason: 'no_consent' };
      if (!consent.granted) return { status: 'not_sent' as const, reason: 'opted_out' };
      return { status: 'queued' as const, reason: null };
    };
    // The phone gets WhatsApp when it is configured, else SMS; with neither, the message is
    // recorded against WhatsApp so the officer can send it by hand (click to chat).
    const phone = phoneDigits(target.phone);
    const phoneChannel: NotificationChannel = config.whatsapp ? 'whatsapp' : config.sms ? 'sms' : 'whatsapp';
    if (phone) rows.push({ ...base, channel: phoneChannel, recipient: phone, ...statusFor(phoneChannel) });
    const emailConsent = consentFor('email');
    const email = target.email ?? (emailConsent?.granted ? emailConsent.address : null);
    if (email && config.email)
      rows.push({ ...base, channel: 'email', recipient: email, ...statusFor('email') });
    if (!phone && !email)
      rows.push({
        ...base,
        channel: phoneChannel,
        recipient: '',
        status: 'not_sent',
        reason: 'no_recipient',
      });
  }
  return rows;
}

const templateOfKind: Record<string, TemplateKey> = {
  applied: 'application_received',
  enrolled: 'enrolled',
  selected: 'enrolled',
  waitlisted: 'waitlisted',
  promoted: 'promoted',
  withdrawn: 'withdrawn',
};

async function baseUrlOf(tx: Tx) {
  return ((await storedPublicUrl(tx)) ?? process.env.PULIH_PUBLIC_URL ?? '').replace(/\/+$/, '');
}

function formatDay(day: string) {
  const [y, m, d] = day.split('-');
  return `${d}-${m}-${y}`;
}

// The notifications module's preparer (wired in src/app/app-context.ts): the rows an
// application's event would queue, per kind, rendered before the one statement that decides it
// (src/lib/domain-events.ts, "prepared"). The same targets and rows as notifyEvent's, from
// what applicationDraftRead read (owner, names, consents, templates) in the caller's statement;
// the office's time zone and address come from the settings' short cache.
export const applicationMessages: Preparer = {
  read: ({ businessId, programId }) => applicationDraftRead(businessId, programId),
  render: (db, data, draft) => renderApplicationMessages(db, data as ApplicationDraftFacts | null, draft),
};

export async function renderApplicationMessages(
  db: DbOrTx,
  facts: ApplicationDraftFacts | null,
  draft: ApplicationDraft,
  now = new Date(),
): Promise<PreparedOutbox> {
  const kinds = draft.kinds.filter((k) => templateOfKind[k]);
  if (kinds.length === 0 || !facts) return {};
  const office = await getOfficeBasics(db);
  const base = (office.publicUrl ?? process.env.PULIH_PUBLIC_URL ?? '').replace(/\/+$/, '');
  const read = { templates: facts.templates, timeZone: office.timeZone, consents: facts.consents, now };
  const prepared: PreparedOutbox = {};
  for (const kind of kinds) {
    const target: NotificationTarget = {
      eventKey: '',
      template: templateOfKind[kind]!,
      variables: {
        name: facts.name,
        program: facts.programName,
        business: facts.businessName,
        link: `${base}/status/${draft.statusToken}`,
      },
      personId: facts.personId,
      phone: facts.phone,
      businessId: draft.businessId,
      applicationId: draft.applicationId,
      programId: draft.programId,
    };
    prepared[kind] = outboxRowsFor([target], read).map((r) => ({
      channel: r.channel,
      recipient: r.recipient,
      template: r.template,
      language: r.language,
      variables: r.variables,
      body: r.body,
      status: r.status,
      reason: r.reason ?? null,
      next_attempt_at: (r.nextAttemptAt as Date).toISOString(),
      person_id: r.personId,
      business_id: r.businessId,
      program_id: r.programId,
    }));
  }
  return prepared;
}

// The notifications module's subscriber to domain events (wired in src/app/app-context.ts).
export async function notifyEvent(tx: Tx, event: DomainEvent, now = new Date()): Promise<void> {
  switch (event.type) {
    case 'application.status': {
      const items = event.items.filter((i) => templateOfKind[i.kind]);
      if (items.length === 0) return;
      const base = await baseUrlOf(tx);
      const recipients = new Map(
        (await applicationRecipients(tx, [...new Set(items.map((i) => i.applicationId))])).map((r) => [
          r.applicationId,
          r,
        ]),
      );
      const targets: NotificationTarget[] = [];
      for (const item of items) {
        const r = recipients.get(item.applicationId);
        if (!r) continue;
        targets.push({
          eventKey: `application_event:${item.eventId}`,
          template: templateOfKind[item.kind]!,
          variables: {
            name: r.name,
            program: r.programName,
            business: r.businessName,
            link: r.statusToken ? `${base}/status/${r.statusToken}` : base,
          },
          personId: r.personId,
          phone: r.phone,
          businessId: r.businessId,
          applicationId: r.applicationId,
          programId: r.programId,
        });
      }
      await enqueueTargets(tx, targets, now);
      return;
    }
    case 'certificate.issued': {
      if (event.items.length === 0) return;
      const base = await baseUrlOf(tx);
      const recipients = await applicationRecipients(
        tx,
        event.items.map((i) => i.applicationId),
      );
      const codes = new Map(event.items.map((i) => [i.applicationId, i.code]));
      await enqueueTargets(
        tx,
        recipients.map((r) => ({
          eventKey: `certificate:${codes.get(r.applicationId)}`,
          template: 'certificate_issued' as const,
          variables: {
            name: r.name,
            program: r.programName,
            code: codes.get(r.applicationId) ?? '',
            link: `${base}/sertifikat/${codes.get(r.applicationId)}`,
          },
          personId: r.personId,
          phone: r.phone,
          businessId: r.businessId,
          applicationId: r.applicationId,
          programId: r.programId,
        })),
        now,
      );
      return;
    }
    case 'session.changed': {
      const found = await sessionWithParticipants(tx, event.sessionId);
      if (!found) return;
      const recipients = await applicationRecipients(tx, found.applicationIds);
      const date = formatDay(event.date ?? found.session.date);
      await enqueueTargets(
        tx,
        recipients.map((r) => ({
          eventKey: `session_${event.change}:${event.key}`,
          template:
            event.change === 'cancelled' ? ('session_cancelled' as const) : ('session_changed' as const),
          variables: {
            name: r.name,
            program: r.programName,
            date,
            time: event.startsAt ?? found.session.startsAt,
          },
          personId: r.personId,
          phone: r.phone,
          businessId: r.businessId,
          applicationId: r.applicationId,
          programId: r.programId,
        })),
        now,
      );
      return;
    }
    case 'handover.scheduled': {
      const r = await businessRecipient(tx, event.businessId);
      if (!r) return;
      await enqueueTargets(
        tx,
        [
          {
            eventKey: `handover:${event.key}`,
            template: 'handover_scheduled',
            variables: { name: r.name, item: event.item, date: event.at, place: event.place ?? '' },
            personId: r.personId,
            phone: r.phone,
            businessId: event.businessId,
          },
        ],
        now,
      );
      return;
    }
    case 'followup.requested': {
      const [r] = await applicationRecipients(tx, [event.applicationId]);
      if (!r) return;
      await enqueueTargets(
        tx,
        [
          {
            eventKey: `followup:${event.key}`,
            template: 'followup_requested',
            variables: { name: r.name, program: r.programName, link: event.link ?? '' },
            personId: r.personId,
            phone: r.phone,
            businessId: r.businessId,
            applicationId: r.applicationId,
            programId: r.programId,
          },
        ],
        now,
      );
      return;
    }
    case 'complaint.answered': {
      await enqueueTargets(
        tx,
        [
          {
            eventKey: `complaint:${event.key}`,
            template: 'complaint_answered',
            variables: { name: event.name, code: event.code, link: event.link ?? '' },
            personId: null,
            phone: event.phone,
            email: event.email ?? null,
            // the complainant gave the number or address to be answered on
            consentGiven: true,
            programId: event.programId ?? null,
          },
        ],
        now,
      );
      return;
    }
  }
}

// The reminder the day before: every enrolled participant of a session on the office's
// tomorrow. Idempotent (one message per session and recipient), so the worker may run it often.
export async function enqueueSessionReminders(ctx: AppContext, now = new Date()) {
  return ctx.db.transaction(async (tx) => {
    const timeZone = await officeTimeZone(tx);
    const today = officeDateTime(now, timeZone).slice(0, 10);
    const next = new Date(`${today}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const tomorrow = next.toISOString().slice(0, 10);
    const rows = await sessionsOn(tx, tomorrow);
    if (rows.length === 0) return 0;
    const recipients = new Map(
      (await applicationRecipients(tx, [...new Set(rows.map((r) => r.applicationId))])).map((r) => [
        r.applicationId,
        r,
      ]),
    );
    const targets: NotificationTarget[] = [];
    for (const row of rows) {
      const r = recipients.get(row.applicationId);
      if (!r) continue;
      targets.push({
        eventKey: `session_reminder:${row.session.id}`,
        template: 'session_reminder',
        variables: {
          name: r.name,
          program: r.programName,
          date: formatDay(row.session.date),
          time: row.session.startsAt,
          place: r.venue ?? '',
        },
        personId: r.personId,
        phone: r.phone,
        businessId: r.businessId,
        applicationId: r.applicationId,
        programId: r.programId,
      });
    }
    return enqueueTargets(tx, targets, now);
  });
}

// ---- sending: by the job worker ----

// A token bucket per channel and process: at most `rate` messages a second, bursts of one
// second's worth. (Several processes each keep their own; the provider's limit is per number.)
class TokenBucket {
  private tokens: number;
  private at = Date.now();
  constructor(private readonly rate: number) {
    this.tokens = rate;
  }
  take(wanted: number): number {
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    const granted = Math.max(0, Math.min(wanted, Math.floor(this.tokens)));
    this.tokens -= granted;
    return granted;
  }
  give(unused: number) {
    this.tokens = Math.min(this.rate, this.tokens + unused);
  }
}

const buckets = new WeakMap<ChannelConfig, Map<NotificationChannel, TokenBucket>>();

function bucketOf(config: ChannelConfig, channel: NotificationChannel) {
  let perChannel = buckets.get(config);
  if (!perChannel) {
    perChannel = new Map();
    buckets.set(config, perChannel);
  }
  let bucket = perChannel.get(channel);
  if (!bucket) {
    bucket = new TokenBucket(config.ratePerSecond[channel]);
    perChannel.set(channel, bucket);
  }
  return bucket;
}

// 30 s, 1 min, 2 min, … capped at an hour, with a little jitter so a recovered provider is
// not hit by every message at once.
export function retryDelayMs(attempts: number, baseMs = 30_000) {
  const delay = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return delay + Math.floor(Math.random() * Math.min(delay * 0.1, 5_000));
}

// How long a claimed message is held before another worker may take it again (a crash
// between claim and mark): longer than any send can take.
const leaseSeconds = 120;

export type SendRound = { claimed: number; sent: number; retried: number; failed: number };

// One round of the sender: claims due messages per configured channel (as many as the
// channel's rate allows), sends them a few at a time, marks each. Returns what it did.
export async function sendDueNotifications(
  ctx: AppContext,
  options: { limit?: number; concurrency?: number; retryBaseMs?: number } = {},
): Promise<SendRound> {
  const config = channelConfig();
  const limit = options.limit ?? 200;
  const configured = notificationChannels.filter((c) => config[c] !== null);
  await markUnroutable(ctx.db, configured);
  const round: SendRound = { claimed: 0, sent: 0, retried: 0, failed: 0 };
  const timeZone = await officeTimeZone(ctx.db);
  const templates = await listTemplateRows(ctx.db);
  for (const channel of configured) {
    const bucket = bucketOf(config, channel);
    const granted = bucket.take(limit);
    const ids = await claimDue(ctx.db, channel, granted, leaseSeconds);
    // unused tokens go back: fewer were due than granted
    if (ids.length < granted) bucket.give(granted - ids.length);
    if (ids.length === 0) continue;
    round.claimed += ids.length;
    const rows = await getOutboxRows(ctx.db, ids);
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        const outcome = await sendOne(ctx, config, row, templates, timeZone, options.retryBaseMs);
        round[outcome]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, rows.length) }, worker));
  }
  return round;
}

function messageOf(row: OutboxRow, templates: TemplateRow[]): OutgoingMessage {
  const key = row.template as TemplateKey;
  const template = effectiveTemplate(templates, key, row.language as TemplateLanguage);
  const variables = row.variables as Record<string, string>;
  return {
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    subject: template.subject,
    body: row.body,
    language: row.language,
    whatsappName: template.whatsappName,
    parameters: templateDefaults[key].variables.map((v) => variables[v] ?? ''),
  };
}

async function sendOne(
  ctx: AppContext,
  config: ChannelConfig,
  row: OutboxRow,
  templates: TemplateRow[],
  timeZone: string,
  retryBaseMs: number | undefined,
): Promise<'sent' | 'retried' | 'failed'> {
  try {
    const answer = await sendMessage(config, messageOf(row, templates));
    await markSent(ctx.db, row.id, answer.providerMessageId);
    return 'sent';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryable = !(error instanceof SendError) || error.retryable;
    if (!retryable || row.attempts >= config.maxAttempts) {
      await markFailed(ctx.db, row.id, message.slice(0, 500));
      return 'failed';
    }
    const at = outsideQuietHours(
      new Date(Date.now() + retryDelayMs(row.attempts, retryBaseMs)),
      timeZone,
      config.quietHours,
    );
    await markRetry(ctx.db, row.id, at, message.slice(0, 500));
    return 'retried';
  }
}

// The worker's tick (registered at assembly): send what is due, and once in a while queue
// tomorrow's session reminders.
let lastReminderRun = 0;
export async function notificationTick(ctx: AppContext) {
  if (Date.now() - lastReminderRun > 10 * 60_000) {
    lastReminderRun = Date.now();
    await enqueueSessionReminders(ctx);
  }
  await sendDueNotifications(ctx);
}

// ---- reading ----

function maskRecipient(row: OutboxRow) {
  if (!row.recipient) return '';
  if (row.channel === 'email') {
    const [user, domain] = row.recipient.split('@');
    return `${(user ?? '').slice(0, 2)}***@${domain ?? ''}`;
  }
  return maskPhone(`+${row.recipient}`);
}

function presentNotification(actor: Actor, row: OutboxRow): NotificationItem {
  const handSend =
    row.status === 'not_sent' &&
    row.channel !== 'email' &&
    row.reason !== 'opted_out' &&
    row.recipient !== '' &&
    can(actor, 'revealPersonalData');
  return {
    id: row.id,
    channel: row.channel,
    template: row.template as TemplateKey,
    language: row.language as TemplateLanguage,
    status: row.status,
    reason: row.reason ?? (row.status === 'queued' && row.error ? row.error : null),
    recipient: maskRecipient(row),
    text: row.body,
    clickToChatUrl: handSend ? whatsappLink(`+${row.recipient}`, row.body) : null,
    applicationId: row.applicationId,
    programId: row.programId,
    attempts: row.attempts,
    createdAt: row.createdAt,
    nextAttemptAt: row.status === 'queued' ? row.nextAttemptAt : null,
    sentAt: row.sentAt,
    deliveredAt: row.deliveredAt,
    failedAt: row.failedAt,
  };
}

// What was sent or queued for an application or a business, within the actor's scope.
export async function listNotifications(
  ctx: AppContext,
  actor: Actor,
  query: { applicationId?: string | undefined; businessId?: string | undefined },
) {
  let businessId = query.businessId ?? null;
  if (query.applicationId) {
    const of = (await businessOfApplication(ctx.db, query.applicationId)) ?? fail('not_found');
    if (businessId && businessId !== of) return { items: [] };
    businessId = of;
  }
  if (!businessId)
    return fail('validation_failed', { field: 'applicationId' }, 'Name an application or a business.');
  await requireAccess(ctx, actor, 'readBusinesses', [businessId]);
  const rows = await listOutbox(ctx.db, {
    ...(query.applicationId ? { applicationId: query.applicationId } : { businessId }),
  });
  return { items: rows.map((r) => presentNotification(actor, r)) };
}

// ---- consent ----

export async function listConsents(ctx: AppContext, actor: Actor, businessId: string) {
  await requireAccess(ctx, actor, 'readBusinesses', [businessId]);
  const owner = (await businessRecipient(ctx.db, businessId)) ?? fail('not_found');
  const rows = await consentsOf(ctx.db, [owner.personId]);
  return {
    items: rows.map((r) => ({
      channel: r.channel,
      granted: r.granted,
      source: r.source,
      address: r.address,
      recordedAt: r.recordedAt,
    })),
  };
}

export async function recordConsent(
  ctx: AppContext,
  actor: Actor,
  input: {
    businessId: string;
    channel: NotificationChannel;
    granted: boolean;
    address?: string | null | undefined;
  },
) {
  await requireAccess(ctx, actor, 'writeBusinesses', [input.businessId]);
  if (input.channel === 'email' && input.granted && !input.address)
    fail('validation_failed', { field: 'address' }, 'E-mail consent needs the address.');
  const owner = (await businessRecipient(ctx.db, input.businessId)) ?? fail('not_found');
  const source = can(actor, 'applyOnBehalf') ? 'officer' : 'owner';
  const granted = input.granted;
  await ctx.db.transaction(async (tx) => {
    await upsertConsent(tx, {
      personId: owner.personId,
      channel: input.channel,
      granted: input.granted,
      source,
      address: input.channel === 'email' ? (input.address ?? null) : null,
      recordedBy: actor.userId,
    });
    await recordChange(tx, actor, {
      action: granted ? 'consent' : 'opt_out',
      entity: 'person',
      entityId: owner.personId,
      after: { channel: input.channel, granted: input.granted, source },
    });
  });
  return listConsents(ctx, actor, input.businessId);
}

// Consent ticked on the public form by an applicant who proved NIK and phone.
export async function recordFormConsent(ctx: AppContext, personId: string) {
  await ctx.db.transaction(async (tx) => {
    for (const channel of ['whatsapp', 'sms'] as const)
      await upsertConsent(tx, { personId, channel, granted: true, source: 'form', recordedBy: null });
    await recordChange(tx, null, {
      action: 'consent',
      entity: 'person',
      entityId: personId,
      after: { channels: ['whatsapp', 'sms'], granted: true, source: 'form' },
    });
  });
}

// ---- delivery receipts and replies ----

export function validSignature(secret: string, raw: string, header: string | undefined) {
  if (!header) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(header.trim());
  return a.length === b.length && timingSafeEqual(a, b);
}

const stopWords = new Set(['STOP', 'BERHENTI', 'UNSUBSCRIBE']);

async function optOutByReply(ctx: AppContext, channel: 'whatsapp' | 'sms', from: string, text: string) {
  if (!stopWords.has(text.trim().toUpperCase())) return 0;
  const digits = phoneDigits(from.startsWith('+') ? from : `+${from}`);
  if (!digits) return 0;
  return ctx.db.transaction(async (tx) => {
    const ids = await peopleWithPhone(tx, digits);
    for (const personId of ids) {
      await upsertConsent(tx, { personId, channel, granted: false, source: 'reply', recordedBy: null });
      await recordChange(tx, null, {
        action: 'opt_out',
        entity: 'person',
        entityId: personId,
        after: { channel, granted: false, source: 'reply' },
      });
    }
    return ids.length;
  });
}

type WhatsAppWebhook = {
  entry?: {
    changes?: {
      value?: {
        statuses?: { id?: string; status?: string; errors?: { title?: string; code?: number }[] }[];
        messages?: { from?: string; type?: string; text?: { body?: string } }[];
      };
    }[];
  }[];
};

export async function handleWhatsAppWebhook(ctx: AppContext, body: WhatsAppWebhook) {
  let receipts = 0;
  for (const entry of body.entry ?? [])
    for (const change of entry.changes ?? []) {
      for (const s of change.value?.statuses ?? []) {
        if (!s.id) continue;
        if (s.status === 'delivered' || s.status === 'read')
          receipts += await applyReceipt(ctx.db, 'whatsapp', { providerMessageId: s.id }, 'delivered', null);
        else if (s.status === 'failed')
          receipts += await applyReceipt(
            ctx.db,
            'whatsapp',
            { providerMessageId: s.id },
            'failed',
            s.errors?.map((e) => `${e.code ?? ''} ${e.title ?? ''}`.trim()).join('; ') || 'failed',
          );
      }
      for (const m of change.value?.messages ?? [])
        if (m.from && m.text?.body) await optOutByReply(ctx, 'whatsapp', m.from, m.text.body);
    }
  return { receipts };
}

type SmsWebhook = {
  id?: string;
  reference?: string;
  status?: string;
  error?: string;
  from?: string;
  text?: string;
};

export async function handleSmsWebhook(ctx: AppContext, body: SmsWebhook) {
  let receipts = 0;
  if (body.status === 'delivered' || body.status === 'failed')
    receipts = await applyReceipt(
      ctx.db,
      'sms',
      { providerMessageId: body.id ?? null, id: body.id ? null : (body.reference ?? null) },
      body.status,
      body.error ?? (body.status === 'failed' ? 'failed' : null),
    );
  if (body.from && body.text) await optOutByReply(ctx, 'sms', body.from, body.text);
  return { receipts };
}
