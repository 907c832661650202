import { randomInt } from 'node:crypto';
import { complaintScope, requireAccess } from '../../access/access.service.ts';
import { complaintDueDate, officeDay, parseHolidays } from '../../domain/complaint-due.ts';
import { maskPhone, normalizePhone, whatsappLink } from '../../domain/phone.ts';
import type { AppContext } from '../../lib/context.ts';
import { publish } from '../../lib/domain-events.ts';
import { fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { type Actor, policy } from '../../policies.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import { officeTimeZone } from '../settings/settings.service.ts';
import {
  type ComplaintRow,
  countComplaints,
  getApplicationLink,
  getBusinessKecamatan,
  getComplaintRow,
  getPublicComplaint,
  insertComplaint,
  insertComplaintNote,
  listComplaintMessages,
  listComplaintNotes,
  listComplaintRows,
  listOfficers,
  lockComplaint,
  programExists,
  updateComplaint,
} from './complaints.queries.ts';
import type {
  ComplaintCreateBody,
  ComplaintDetail,
  ComplaintItem,
  ComplaintListQuery,
  ComplaintPatchBody,
  PublicComplaintBody,
} from './complaints.schema.ts';

// Tracking codes: 6 characters from 31 (no 0/O, 1/I/L), easy to read out on the phone; about
// 887 million codes, drawn at random, so a code cannot be guessed from another.
const codeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function newComplaintCode(): string {
  let code = 'PGD-';
  for (let i = 0; i < 6; i++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  return code;
}

// The holiday list is configuration: the project has no national holiday calendar.
const holidays = () => parseHolidays(process.env.PULIH_HOLIDAYS);

function phoneOrFail(input: string | undefined): string | null {
  if (!input?.trim()) return null;
  const phone = normalizePhone(input);
  return phone.ok ? phone.value : fail('validation_failed', { field: 'phone' });
}

type Links = { programId: string | null; applicationId: string | null; businessId: string | null };

// The links an actor sets: each must exist and, for a business or an application, be within the
// actor's registry scope (a kecamatan office links only its own kecamatan's). The kecamatan of
// the complaint follows the business.
async function resolveLinks(ctx: AppContext, actor: Actor | null, links: Links) {
  let { programId, businessId } = links;
  const { applicationId } = links;
  if (applicationId) {
    const app = await getApplicationLink(ctx.db, applicationId);
    if (!app) return fail('not_found', { field: 'applicationId' });
    if (businessId && businessId !== app.businessId)
      return fail('validation_failed', { field: 'businessId' });
    businessId = app.businessId;
    programId = programId ?? app.programId;
  }
  if (businessId && actor)
    await requireAccess(ctx, actor, 'readBusinesses', [businessId], { field: 'businessId' });
  if (programId && !(await programExists(ctx.db, programId)))
    return fail('not_found', { field: 'programId' });
  const kecamatanCode = businessId ? await getBusinessKecamatan(ctx.db, businessId) : null;
  if (businessId && !kecamatanCode) return fail('not_found', { field: 'businessId' });
  return { programId, applicationId, businessId, kecamatanCode };
}

async function insertWithCode(
  ctx: AppContext,
  actor: Actor | null,
  values: Omit<Parameters<typeof insertComplaint>[1], 'code' | 'dueDate'>,
) {
  return ctx.db.transaction(async (tx) => {
    const now = new Date();
    const dueDate = complaintDueDate(now, await officeTimeZone(tx), holidays());
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await insertComplaint(tx, {
        ...values,
        code: newComplaintCode(),
        dueDate,
        createdAt: now,
        updatedAt: now,
      });
      if (!row) continue;
      await recordChange(tx, actor, {
        action: 'create',
        entity: 'complaint',
        entityId: row.id,
        // who complained and what they wrote stay in the complaint, not in the log
        after: { code: row.code, channel: row.channel, programId: row.programId, dueDate: row.dueDate },
      });
      return row;
    }
    throw new Error('No free complaint code after 5 attempts');
  });
}

// ---- public ----

export async function fileComplaint(ctx: AppContext, body: PublicComplaintBody) {
  const phone = phoneOrFail(body.phone);
  const links = await resolveLinks(ctx, null, {
    programId: body.programId ?? null,
    applicationId: null,
    businessId: null,
  });
  const row = await insertWithCode(ctx, null, {
    name: body.name,
    phone,
    message: body.message,
    channel: 'web',
    ...links,
  });
  return { code: row.code };
}

export async function getPublicComplaintStatus(ctx: AppContext, code: string) {
  return getPublicComplaint(ctx.db, code);
}

// ---- officers ----

type Joined = NonNullable<Awaited<ReturnType<typeof getComplaintRow>>>;

function present(row: Joined, today: string, revealed: boolean): ComplaintItem {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    phone: row.phone ? (revealed ? row.phone : maskPhone(row.phone)) : null,
    channel: row.channel,
    status: row.status,
    programId: row.programId,
    programName: row.programName,
    applicationId: row.applicationId,
    businessId: row.businessId,
    businessName: row.businessName,
    kecamatanCode: row.kecamatanCode,
    laporRef: row.laporRef,
    assignedTo: row.assignedTo,
    assignedToName: row.assignedToName,
    dueDate: row.dueDate,
    overdue: (row.status === 'baru' || row.status === 'diproses') && row.dueDate < today,
    answeredAt: row.answeredAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function officeToday(ctx: AppContext) {
  return officeDay(new Date(), await officeTimeZone(ctx.db));
}

export async function listComplaints(ctx: AppContext, actor: Actor, query: ComplaintListQuery) {
  await requireAccess(ctx, actor, 'handleComplaints');
  const today = await officeToday(ctx);
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listComplaintRows(
    ctx.db,
    complaintScope(actor),
    {
      status: query.status,
      overdueBefore: query.overdue ? today : undefined,
      programId: query.programId,
      assignedTo: query.assignedToMe ? actor.userId : undefined,
      q: query.q,
    },
    { limit: query.limit, after },
  );
  const paged = pageOf(rows, query.limit, (r) => [r.cursorAt, r.id]);
  return { items: paged.items.map((r) => present(r, today, false)), nextCursor: paged.nextCursor };
}

// The full view (phone, message, notes): logged as a view of personal data.
export async function getComplaint(ctx: AppContext, actor: Actor, id: string): Promise<ComplaintDetail> {
  await requireAccess(ctx, actor, 'handleComplaints');
  const row = (await getComplaintRow(ctx.db, complaintScope(actor), id)) ?? fail('not_found');
  await recordPersonalDataAccess(ctx.db, actor, { kind: 'view', subject: `complaint:${id}` });
  const [notes, messages] = await Promise.all([
    listComplaintNotes(ctx.db, id),
    listComplaintMessages(ctx.db, id),
  ]);
  return {
    ...present(row, await officeToday(ctx), true),
    message: row.message,
    answer: row.answer,
    closedAt: row.closedAt,
    notes,
    messages: messages.map((m) => ({
      channel: m.channel,
      status: m.status,
      reason: m.reason,
      createdAt: m.createdAt,
      clickToChatUrl:
        m.status === 'not_sent' && m.channel !== 'email' && m.reason !== 'opted_out' && m.recipient
          ? whatsappLink(`+${m.recipient}`, m.body)
          : null,
    })),
  };
}

async function checkAssignee(ctx: AppContext, userId: string) {
  const [found] = await listOfficers(ctx.db, policy.handleComplaints, [userId]);
  if (!found) fail('complaint_assignee_invalid', { field: 'assignedTo' });
}

export async function createComplaint(ctx: AppContext, actor: Actor, body: ComplaintCreateBody) {
  await requireAccess(ctx, actor, 'handleComplaints');
  const phone = phoneOrFail(body.phone);
  const links = await resolveLinks(ctx, actor, {
    programId: body.programId ?? null,
    applicationId: body.applicationId ?? null,
    businessId: body.businessId ?? null,
  });
  if (body.assignedTo) await checkAssignee(ctx, body.assignedTo);
  const row = await insertWithCode(ctx, actor, {
    name: body.name,
    phone,
    message: body.message,
    channel: body.channel,
    laporRef: body.laporRef ?? null,
    assignedTo: body.assignedTo ?? null,
    status: body.assignedTo ? 'diproses' : 'baru',
    createdBy: actor.userId,
    ...links,
  });
  return getComplaint(ctx, actor, row.id);
}

const closing = new Set(['selesai', 'ditolak']);

export async function changeComplaint(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: ComplaintPatchBody,
  statusLink: (code: string) => string,
) {
  await requireAccess(ctx, actor, 'handleComplaints');
  const scope = complaintScope(actor);
  const linking =
    body.programId !== undefined || body.applicationId !== undefined || body.businessId !== undefined;
  if (body.assignedTo) await checkAssignee(ctx, body.assignedTo);
  // Links are checked before the transaction (the access checks read through ctx.db, and PGlite
  // has one connection); the row is then locked and changed.
  const current = (await getComplaintRow(ctx.db, scope, id)) ?? fail('not_found');
  const links = linking
    ? await resolveLinks(ctx, actor, {
        programId: body.programId !== undefined ? body.programId : current.programId,
        applicationId: body.applicationId !== undefined ? body.applicationId : current.applicationId,
        businessId:
          body.businessId !== undefined
            ? body.businessId
            : body.applicationId !== undefined
              ? null
              : current.businessId,
      })
    : null;
  await ctx.db.transaction(async (tx) => {
    const before = (await lockComplaint(tx, scope, id)) ?? fail('not_found');
    const set: Partial<ComplaintRow> = {};
    if (links) Object.assign(set, links);
    if (body.laporRef !== undefined) set.laporRef = body.laporRef;
    if (body.assignedTo !== undefined) set.assignedTo = body.assignedTo;
    const now = new Date();
    const answered = body.answer !== undefined && body.answer !== before.answer;
    if (answered) {
      set.answer = body.answer ?? null;
      set.answeredAt = now;
    }
    let status = body.status ?? before.status;
    // Assigning a new complaint starts work on it; answering one still open closes it.
    if (!body.status && body.assignedTo && before.status === 'baru') status = 'diproses';
    if (!body.status && answered && !closing.has(before.status)) status = 'selesai';
    if (closing.has(status) && !(set.answer ?? before.answer))
      fail('complaint_answer_required', { field: 'answer' });
    if (status !== before.status) {
      set.status = status;
      set.closedAt = closing.has(status) ? now : null;
    }
    const after = await updateComplaint(tx, id, set);
    await recordChange(tx, actor, {
      action: answered ? 'answer' : 'update',
      entity: 'complaint',
      entityId: id,
      before: Object.fromEntries(Object.keys(set).map((k) => [k, before[k as keyof ComplaintRow]])),
      after: set,
    });
    if (answered && after) {
      // The answer goes to the complainant through the outbox, in this transaction: queued
      // exactly when the answer is saved. One message per answer given (the key has its time).
      await publish(tx, {
        type: 'complaint.answered',
        complaintId: id,
        code: after.code,
        name: after.name,
        phone: after.phone,
        programId: after.programId,
        link: statusLink(after.code),
        key: `${id}:${now.getTime()}`,
      });
    }
  });
  return getComplaint(ctx, actor, id);
}

export async function addComplaintNote(ctx: AppContext, actor: Actor, id: string, text: string) {
  await requireAccess(ctx, actor, 'handleComplaints');
  await ctx.db.transaction(async (tx) => {
    (await lockComplaint(tx, complaintScope(actor), id)) ?? fail('not_found');
    const note = await insertComplaintNote(tx, { complaintId: id, authorId: actor.userId, text });
    await updateComplaint(tx, id, {});
    await recordChange(tx, actor, {
      action: 'create',
      entity: 'complaint_note',
      entityId: note.id,
      after: { complaintId: id },
    });
  });
  return getComplaint(ctx, actor, id);
}

export async function complaintCountsFor(ctx: AppContext, actor: Actor) {
  await requireAccess(ctx, actor, 'handleComplaints');
  return countComplaints(ctx.db, complaintScope(actor), await officeToday(ctx));
}

export async function complaintOfficers(ctx: AppContext, actor: Actor) {
  await requireAccess(ctx, actor, 'handleComplaints');
  return listOfficers(ctx.db, policy.handleComplaints);
}
