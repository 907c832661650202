// One catalogue of error codes, mapped to HTTP in one place. The web app translates
// each code (locales/*.json, key `errors.<code>`), so codes are stable once shipped.
export const errorCatalogue = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  unauthenticated: { status: 401, message: 'Log in first.' },
  invalid_credentials: { status: 401, message: 'Wrong username or password.' },
  forbidden: { status: 403, message: 'Your role may not do this.' },
  not_found: { status: 404, message: 'Not found.' },
  applicant_not_matched: {
    status: 404,
    message: 'This NIK and phone number do not match a registered business owner.',
  },
  route_not_found: { status: 404, message: 'No such endpoint.' },
  conflict: { status: 409, message: 'This conflicts with existing data.' },
  nik_taken: { status: 409, message: 'Another person already has this NIK.' },
  business_exists: { status: 409, message: 'This owner already has a business with this name.' },
  identity_review: {
    status: 409,
    message:
      'This NIK belongs to a person outside your area. The business was not registered; the link is waiting for review by the dinas.',
  },
  ref_taken: { status: 409, message: 'Another business already has this ref.' },
  already_applied: { status: 409, message: 'This business has already applied to the program.' },
  application_closed: { status: 409, message: 'This application can no longer change.' },
  not_enrolled: { status: 409, message: 'Only enrolled participants can be checked in.' },
  session_exists: { status: 409, message: 'The program already has a session on that day.' },
  session_cancelled: { status: 409, message: 'This session was cancelled.' },
  session_in_future: {
    status: 409,
    message: 'This session has not taken place yet; attendance is recorded on its day.',
  },
  attendance_not_today: {
    status: 409,
    message: 'Attendance is recorded on the session’s day; a later entry needs a reason (late entry).',
  },
  session_has_attendance: {
    status: 409,
    message: 'This session already has check-ins; it cannot move to another day.',
  },
  program_not_ended: {
    status: 409,
    message: 'Certificates are issued once the program’s last session has ended.',
  },
  certificate_exists: {
    status: 409,
    message: 'This participant already has a certificate; undoing attendance must revoke it too.',
  },
  program_closed: { status: 409, message: 'This program no longer takes applications.' },
  capacity_below_enrolled: { status: 409, message: 'Capacity cannot go below the number enrolled.' },
  stock_insufficient: { status: 409, message: 'Not enough stock left for this allocation.' },
  already_allocated: { status: 409, message: 'This business already has this item.' },
  already_handed_over: { status: 409, message: 'This allocation was already handed over.' },
  allocation_cancelled: { status: 409, message: 'This allocation was cancelled.' },
  not_a_graduate: { status: 409, message: 'Only graduates of the program can receive this aid.' },
  handover_mixed: {
    status: 409,
    message: 'One BAST lists items of one SOPD to one business only.',
  },
  product_not_submitted: { status: 409, message: 'Only a submitted product can be approved or returned.' },
  product_already_submitted: { status: 409, message: 'This product is already submitted or approved.' },
  too_many_photos: { status: 409, message: 'A product has at most 8 photos.' },
  already_returned: { status: 409, message: 'This item was already returned or written off.' },
  not_returned: {
    status: 409,
    message: 'Only an item returned into stock can be given to another graduate.',
  },
  already_reallocated: { status: 409, message: 'This returned item was already given to another graduate.' },
  not_handed_over: { status: 409, message: 'This allocation has not been handed over yet.' },
  invalid_nik: { status: 422, message: 'The NIK is not valid.' },
  invalid_phone: { status: 422, message: 'The phone number is not valid.' },
  invalid_region: { status: 422, message: 'The region code is not known.' },
  invalid_kbli: { status: 422, message: 'The KBLI code is not valid.' },
  invalid_rule: { status: 422, message: 'The eligibility rule is not valid.' },
  invalid_attendance_token: {
    status: 422,
    message: 'This invitation card code is not valid for this session.',
  },
  import_columns_missing: { status: 422, message: 'The file lacks required columns.' },
  import_file_unreadable: { status: 422, message: 'The file cannot be read as CSV or XLSX.' },
  import_file_too_large: { status: 413, message: 'The file is larger than the import limit.' },
  import_row_too_large: { status: 422, message: 'A row of the file is too long to be a registry row.' },
  import_too_many_rows: { status: 422, message: 'The file has more rows than the import limit.' },
  import_too_many_errors: {
    status: 422,
    message: 'The file has too many bad rows; fix it with the first errors listed and import it again.',
  },
  import_finished: { status: 409, message: 'This import has already finished.' },
  rating_not_open: {
    status: 409,
    message: 'The training can be rated once the participant has attended or completed it.',
  },
  duplicate_in_request: { status: 400, message: 'This business is listed more than once in the request.' },
  program_archived: { status: 409, message: 'This program is archived and takes no applications.' },
  photo_too_large: { status: 413, message: 'The photo is too large.' },
  unsupported_media: { status: 415, message: 'This file type is not supported.' },
  rate_limited: { status: 429, message: 'Too many requests; try again shortly.' },
  password_too_weak: { status: 422, message: 'The password does not meet the password policy.' },
  wrong_current_password: { status: 422, message: 'The current password is wrong.' },
  password_change_required: { status: 403, message: 'Choose a new password first.' },
  login_limited: { status: 429, message: 'Too many failed logins; try again later.' },
  username_taken: { status: 409, message: 'Another user already has this username.' },
  invalid_scope: { status: 422, message: 'This role needs another scope.' },
  last_admin: { status: 409, message: 'The last active administrator cannot be disabled or demoted.' },
  invite_invalid: { status: 410, message: 'This invitation link is no longer valid.' },
  kecamatan_map_invalid: { status: 422, message: 'The map is not a GeoJSON FeatureCollection of features.' },
  kecamatan_map_geometry: {
    status: 422,
    message: 'A feature of the map is not a Polygon or MultiPolygon of longitude/latitude rings.',
  },
  kecamatan_map_unknown_kecamatan: {
    status: 422,
    message: 'A feature of the map names no kecamatan of the office’s region.',
  },
  kecamatan_map_duplicate: { status: 422, message: 'Two features of the map are the same kecamatan.' },
  kecamatan_map_too_large: { status: 413, message: 'The map is larger than 4 MB or 200,000 points.' },
  payload_too_large: { status: 413, message: 'The request is larger than the server accepts.' },
  invalid_reference: { status: 422, message: 'The request refers to a record that does not exist.' },
  cross_site_request: {
    status: 403,
    message: 'This request did not come from a page of this site; reload the page and try again.',
  },
  invalid_signature: { status: 401, message: 'The request signature is missing or wrong.' },
  complaint_answer_required: {
    status: 422,
    message: 'A complaint is closed or rejected with an answer to the complainant.',
  },
  complaint_assignee_invalid: { status: 422, message: 'This user does not handle complaints.' },
  slug_taken: { status: 409, message: 'Another storefront already uses this address.' },
  booth_taken: { status: 409, message: 'Another business already has this booth at the event.' },
  already_participating: { status: 409, message: 'This business already takes part in the event.' },
  not_participating: { status: 422, message: 'This business does not take part in the event.' },
  follow_up_too_early: {
    status: 422,
    message: 'A follow-up is due on or after the last day of the program.',
  },
  follow_up_sales_implausible: {
    status: 422,
    message:
      'These sales are far above what the recorded business size allows; check the figure, or confirm that it is right.',
  },
  // self-registration and verification visits (issue 16)
  registration_invalid: { status: 422, message: 'Some fields of the registration are not valid.' },
  registration_not_fixable: {
    status: 409,
    message: 'This registration is not waiting for a correction.',
  },
  registration_decided: { status: 409, message: 'This registration was already decided.' },
  visit_checklist_incomplete: {
    status: 422,
    message: 'A business is verified only when it exists, the owner was met and the NIK was seen on the KTP.',
  },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
  backup_unreadable: { status: 422, message: 'The file is not a complete Pulih backup.' },
  backup_newer: { status: 409, message: 'The backup was made by a newer version of Pulih.' },
  restore_target_not_empty: { status: 409, message: 'The database to restore into is not empty.' },
  // Idempotency-Key on POSTs (src/modules/idempotency)
  idempotency_in_progress: {
    status: 409,
    message: 'A request with this Idempotency-Key is still being processed; try again in a moment.',
  },
  idempotency_key_reused: {
    status: 422,
    message: 'This Idempotency-Key was already used for a different request.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, details?: unknown, message?: string) {
    super(message ?? errorCatalogue[code].message);
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
  }
}

export const fail = (code: ErrorCode, details?: unknown, message?: string): never => {
  throw new AppError(code, details, message);
};

export function uniqueViolation(error: unknown): string | null {
  const e = findPgError(error);
  return e?.code === '23505' ? (e.constraint ?? 'unique') : null;
}

// The SQLSTATE of an error the database raised; null for any other error (a lost connection).
export function sqlStateOf(error: unknown): string | null {
  return findPgError(error)?.code ?? null;
}

export function checkViolation(error: unknown): string | null {
  const e = findPgError(error);
  return e?.code === '23514' ? (e.constraint ?? 'check') : null;
}

type PgError = { code?: string; constraint?: string };

// drizzle wraps driver errors in `cause`; node-postgres and PGlite both expose `code`.
function findPgError(error: unknown): PgError | null {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const candidate = current as PgError & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return null;
}
