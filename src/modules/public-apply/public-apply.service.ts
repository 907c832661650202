import { normalizeNik } from '../../domain/nik.ts';
import { officeDate } from '../../domain/office-time.ts';
import { normalizePhone } from '../../domain/phone.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { recordFormConsent } from '../notifications/notifications.service.ts';
import {
  type ApplicationInputsRow,
  formApplicationRead,
  getPublicApplicationStatus,
  statusPathOf,
  submitApplication,
} from '../programs/applications.service.ts';
import { getProgramRow } from '../programs/programs.service.ts';
import { getOfficeBasics } from '../settings/settings.service.ts';
import { listPublicSessions } from '../training/training.service.ts';
import {
  type FormApplicant,
  getPersonById,
  listBusinessNamesOf,
  readFormApplication,
} from './public-apply.queries.ts';
import type { PublicApplyBody, PublicApplyResult } from './public-apply.schema.ts';

const nobody = '00000000-0000-0000-0000-000000000000';

export function nikDigits(input: string) {
  const nik = normalizeNik(input);
  return /^\d{16}$/.test(nik) ? nik : null;
}

// The owner whose NIK and phone both match, with their businesses; null otherwise. A person
// merged into another (dedup) stands for the one they were merged into. `found`: the person of
// the NIK and their businesses, read with the program (readFormApplication).
async function findApplicant(ctx: AppContext, found: FormApplicant, phone: string) {
  let person = found.person;
  let owned = found.businesses;
  if (person?.mergedInto) {
    for (let hops = 0; person?.mergedInto && hops < 5; hops++)
      person = await getPersonById(ctx.db, person.mergedInto);
    owned = await listBusinessNamesOf(ctx.db, person?.id ?? nobody);
  }
  const stored = person?.phone ? normalizePhone(person.phone) : null;
  if (!person || !stored?.ok || stored.value !== phone || owned.length === 0) return null;
  return { personId: person.id, businesses: owned };
}

// An application through the public form: two round trips, as an officer's. The first reads the
// program with the applicant and, for the business the form applies when the phone matches,
// everything the application is judged on; the second is the statement that decides it. A
// consent ticked on the form adds its own write, and then the business is read again after it,
// so the application's first message sees the consent. A merged person (followed here) is read
// on round trips of its own too.
export async function applyInPublic(
  ctx: AppContext,
  programId: string,
  body: PublicApplyBody,
): Promise<PublicApplyResult> {
  const nik = nikDigits(body.nik) ?? fail('validation_failed', { field: 'nik' }, 'A NIK has 16 digits.');
  const phone = normalizePhone(body.phone);
  if (!phone.ok) return fail('invalid_phone', { field: 'phone', issue: phone.error });
  const found = await readFormApplication<ApplicationInputsRow>(
    ctx.db,
    { programId, nik, phone: phone.value, businessId: body.businessId ?? null },
    (business) => formApplicationRead.columns(programId, business),
  );
  const program = found.applicant.program ?? fail('not_found');
  const closed = await formClosed(ctx, program);
  if (closed) fail('program_closed', closed);
  const applicant = (await findApplicant(ctx, found.applicant, phone.value)) ?? fail('applicant_not_matched');
  const only = applicant.businesses.length === 1 ? applicant.businesses[0] : undefined;
  if (!body.businessId && !only) return { outcome: 'choose_business', businesses: applicant.businesses };
  const businessId = body.businessId ?? only!.id;
  // Another person's business id answers like a wrong NIK.
  if (!applicant.businesses.some((b) => b.id === businessId)) fail('applicant_not_matched');
  // Consent ticked on the form, recorded before the application so its first message goes out.
  if (body.consent) await recordFormConsent(ctx, applicant.personId);
  const inputs =
    !body.consent && found.businessId === businessId ? formApplicationRead.inputsOf(found.row) : undefined;
  const submitted = await submitApplication(ctx, null, programId, businessId, 'public', {
    returnExisting: true,
    inputs,
  });
  return {
    outcome: submitted.alreadyApplied ? 'already_applied' : 'applied',
    status: submitted.status,
    statusPath: statusPathOf(submitted.statusToken)!,
  };
}

export async function getProgramForForm(ctx: AppContext, programId: string) {
  const program = await getProgramRow(ctx, programId);
  return program ? { ...program, closed: await formClosed(ctx, program) } : null;
}

// The form closes on the program's first day (in the office's time zone), or after its
// applicationDeadline when that comes first. Null while it is open.
export async function formClosed(
  ctx: AppContext,
  program: { startDate: string; applicationDeadline: string | null },
): Promise<{ reason: 'started' | 'deadline'; startDate: string; applicationDeadline: string | null } | null> {
  const today = officeDate(new Date(), (await getOfficeBasics(ctx.db)).timeZone);
  const facts = { startDate: program.startDate, applicationDeadline: program.applicationDeadline };
  if (program.applicationDeadline && today > program.applicationDeadline)
    return { reason: 'deadline', ...facts };
  if (today >= program.startDate) return { reason: 'started', ...facts };
  return null;
}

export async function getStatus(ctx: AppContext, token: string) {
  const status = await getPublicApplicationStatus(ctx, token);
  if (!status) return null;
  // A participant sees the days of the training, cancelled ones marked.
  const participant = status.status === 'enrolled' || status.status === 'completed';
  const sessions =
    participant && status.program.type === 'training' ? await listPublicSessions(ctx, status.program.id) : [];
  return { ...status, sessions };
}
