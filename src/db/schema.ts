import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  accessKinds,
  allocationStatuses,
  applicationSources,
  applicationStatuses,
  attendanceMethods,
  businessStatuses,
  dedupDecisionKinds,
  eventKinds,
  exclusionKinds,
  issueSeverities,
  jobStatuses,
  organisationKinds,
  productCategories,
  productStatuses,
  programTypes,
  registrationSources,
  registrationStatuses,
  saleChannels,
  saleSources,
  selectionModes,
  sexes,
  tokenKinds,
  userRoles,
  visitOutcomes,
} from '../domain/enums.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const organisationKind = pgEnum('organisation_kind', organisationKinds);
export const sexEnum = pgEnum('sex', sexes);
export const userRole = pgEnum('user_role', userRoles);
export const tokenKind = pgEnum('token_kind', tokenKinds);
export const businessStatus = pgEnum('business_status', businessStatuses);
export const programType = pgEnum('program_type', programTypes);
export const selectionMode = pgEnum('selection_mode', selectionModes);
export const applicationStatus = pgEnum('application_status', applicationStatuses);
export const attendanceMethod = pgEnum('attendance_method', attendanceMethods);
export const allocationStatus = pgEnum('allocation_status', allocationStatuses);
export const accessKind = pgEnum('access_kind', accessKinds);

// Maintained by triggers (the custom catalog migration): name, description, category and the
// business's name, weighted, in the built-in Indonesian text search configuration.
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

// One photo of a product: its bytes live in the media store (src/lib/media-store.ts) under
// names derived from `key`; the row keeps only what a page needs to show it.
export type ProductPhoto = { key: string; width: number; height: number };

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const rupiah = (name: string) => bigint(name, { mode: 'number' });

export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: organisationKind('kind').notNull(),
    regionCode: text('region_code'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organisations_code_key').on(t.code)],
);

export const people = pgTable(
  'people',
  {
    id: id(),
    nik: text('nik').notNull(),
    name: text('name').notNull(),
    sex: sexEnum('sex'),
    birthDate: date('birth_date', { mode: 'string' }),
    phone: text('phone'),
    address: text('address'),
    // Set when a duplicate was merged into another person; the row stays for history.
    mergedInto: uuid('merged_into'),
    // The name as duplicate detection compares it (nameKey() of src/domain/dedup.ts), stored so
    // that a detection run does not recompute it for everyone. A writer may give it (the import
    // computes it in Node for plain ASCII names, where nameKey() and the SQL agree); otherwise
    // the triggers people_name_key* (migration 0033) compute it with nameKeySql() on every insert
    // and on every change of the name. It was a generated column until the import showed that
    // PostgreSQL's regular expressions spend more on it than the rest of the insert.
    nameKey: text('name_key').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('people_nik_key').on(t.nik),
    check('people_nik_digits', sql`${t.nik} ~ '^[0-9]{16}$'`),
    // The few people merged away: a merge finds those merged into the duplicate, and every page of
    // the review queue leaves out pairs with one of them. Partial, so registering people (never
    // merged yet) writes no entry.
    index('people_merged_into_idx').on(t.mergedInto, t.id).where(sql`${t.mergedInto} is not null`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    role: userRole('role').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    personId: uuid('person_id').references(() => people.id),
    nip: text('nip'),
    position: text('position'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    // Set with a one-time password (created or reset by an administrator): until the user
    // chooses their own, the session may do nothing else.
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.username),
    check(
      'users_role_scope',
      sql`(${t.role} not in ('kecamatan_officer', 'sopd_officer') or ${t.organisationId} is not null)
        and (${t.role} <> 'owner' or ${t.personId} is not null)`,
    ),
  ],
);

export const authTokens = pgTable(
  'auth_tokens',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: tokenKind('kind').notNull(),
    name: text('name'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    // Where a session was opened from, so that its owner recognises it in their list.
    userAgent: text('user_agent'),
    address: text('address'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('auth_tokens_hash_key').on(t.tokenHash), index('auth_tokens_user_idx').on(t.userId)],
);

export const businesses = pgTable(
  'businesses',
  {
    id: id(),
    ref: text('ref'),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => people.id),
    name: text('name').notNull(),
    kbli: text('kbli'),
    kbliVersion: smallint('kbli_version'),
    regionCode: text('region_code').notNull(),
    kecamatanCode: text('kecamatan_code').notNull(),
    nib: text('nib'),
    capital: rupiah('capital'),
    annualTurnover: rupiah('annual_turnover'),
    workers: integer('workers'),
    covidImpacted: boolean('covid_impacted'),
    status: businessStatus('status').notNull().default('aktif'),
    search: nameSearch(),
    ownerSearch: ownerNameSearch(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('businesses_ref_key').on(t.ref),
    // Both search documents are read through one GIN index on an expression of them and of the
    // name's place in the name order, businesses_name_terms_idx (migration namesearch3b_sql).
    uniqueIndex('businesses_owner_name_key')
      .on(t.ownerId, sql`lower(${t.name})`)
      .where(sql`${t.ref} is null`),
    // Filters by kecamatan, kelurahan, KBLI and size use the (column, lower(name), id) indexes of
    // migration 0004, which also serve lookups by the column alone; a single-column copy would
    // only make every import pay for one more index.
    index('businesses_owner_idx').on(t.ownerId),
    check('businesses_kbli_digits', sql`${t.kbli} is null or ${t.kbli} ~ '^[0-9]{5}$'`),
    check('businesses_nib_digits', sql`${t.nib} is null or ${t.nib} ~ '^[0-9]{13}$'`),
    check(
      'businesses_amounts',
      sql`coalesce(${t.capital}, 0) >= 0 and coalesce(${t.annualTurnover}, 0) >= 0
      and coalesce(${t.workers}, 0) >= 0`,
    ),
  ],
);

export const programs = pgTable(
  'programs',
  {
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    type: programType('type').notNull(),
    description: text('description'),
    capacity: integer('capacity').notNull(),
    enrolledCount: integer('enrolled_count').notNull().default(0),
    selection: selectionMode('selection').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    venue: text('venue'),
    eligibility: jsonb('eligibility').notNull().default(true),
    minAttendanceRatio: numeric('min_attendance_ratio', { precision: 4, scale: 3, mode: 'number' })
      .notNull()
      .default(0.8),
    hours: integer('hours'),
    // The public form closes at the start of the program, or earlier on this day when set
    // (the last day on which applications are taken, in the office's time zone).
    applicationDeadline: date('application_deadline', { mode: 'string' }),
    // Ordered criteria for priority selection, e.g. [{"field":"annualTurnover","direction":"asc"}].
    priorityRule: jsonb('priority_rule'),
    // An archived program leaves the lists (it stays readable by id, with its history).
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    // The wave (gelombang) this program was copied from, when it is a next wave.
    previousProgramId: uuid('previous_program_id').references((): AnyPgColumn => programs.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('programs_capacity_positive', sql`${t.capacity} > 0`),
    check('programs_enrolled_within_capacity', sql`${t.enrolledCount} between 0 and ${t.capacity}`),
    check('programs_dates', sql`${t.endDate} >= ${t.startDate}`),
    check('programs_ratio', sql`${t.minAttendanceRatio} > 0 and ${t.minAttendanceRatio} <= 1`),
  ],
);

export const applications = pgTable(
  'applications',
  {
    id: id(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    status: applicationStatus('status').notNull(),
    reasons: jsonb('reasons').notNull().default([]),
    appliedBy: uuid('applied_by').references(() => users.id),
    source: text('source', { enum: applicationSources }).notNull().default('officer'),
    // Priority score computed when the selection runs (lower turnover first, etc.).
    score: numeric('score', { precision: 14, scale: 4, mode: 'number' }),
    // Random token for the public status link; carries no personal data.
    statusToken: text('status_token'),
    // Optional pre-test and post-test scores (0–100), entered by the officer.
    preTestScore: smallint('pre_test_score'),
    postTestScore: smallint('post_test_score'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      'applications_test_scores',
      sql`${t.preTestScore} between 0 and 100 and ${t.postTestScore} between 0 and 100`,
    ),
    uniqueIndex('applications_program_business_key').on(t.programId, t.businessId),
    uniqueIndex('applications_status_token_key').on(t.statusToken),
    check('applications_source', sql`${t.source} in ('officer', 'owner', 'public')`),
    index('applications_program_status_idx').on(t.programId, t.status, t.createdAt),
    index('applications_business_idx').on(t.businessId),
  ],
);

export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: id(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    day: integer('day').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    startsAt: text('starts_at').notNull(),
    endsAt: text('ends_at').notNull(),
    topic: text('topic'),
    // Where this day is held, when not at the program's venue.
    venue: text('venue'),
    // Jam pelajaran (JP) of the day; the certificate prints their total.
    lessonHours: integer('lesson_hours'),
    // [{ "name": "…", "role": "narasumber" | "instruktur" }]
    trainers: jsonb('trainers').notNull().default([]),
    // A cancelled day stays listed (officers and participants see it) but counts for nothing.
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'training_sessions_lesson_hours',
      sql`${t.lessonHours} is null or ${t.lessonHours} between 0 and 24`,
    ),
    uniqueIndex('training_sessions_program_day_key').on(t.programId, t.day),
    check(
      'training_sessions_times',
      sql`${t.startsAt} ~ '^[0-2][0-9]:[0-5][0-9]$' and ${t.endsAt} > ${t.startsAt}`,
    ),
  ],
);

export const attendance = pgTable(
  'attendance',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }).notNull(),
    method: attendanceMethod('method').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    // Set when an officer recorded the check-in after the session's day (a late entry).
    lateReason: text('late_reason'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('attendance_session_application_key').on(t.sessionId, t.applicationId)],
);

export const certificates = pgTable(
  'certificates',
  {
    id: id(),
    code: text('code').notNull(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    uniqueIndex('certificates_code_key').on(t.code),
    // One valid certificate per application; revoked ones stay on record beside a new one.
    uniqueIndex('certificates_application_key').on(t.applicationId).where(sql`${t.revokedAt} is null`),
  ],
);

export const aidStock = pgTable(
  'aid_stock',
  {
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    budgetYear: integer('budget_year').notNull(),
    item: text('item').notNull(),
    spec: text('spec'),
    unit: text('unit').notNull(),
    unitValue: rupiah('unit_value').notNull(),
    quantity: integer('quantity').notNull(),
    allocated: integer('allocated').notNull().default(0),
    // Where the money came from: APBD, APBN or DAK, and the DPA / sub-activity code when known.
    source: text('source'),
    dpaCode: text('dpa_code'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('aid_stock_org_year_item_key').on(t.organisationId, t.budgetYear, t.item),
    check('aid_stock_within_quantity', sql`${t.allocated} between 0 and ${t.quantity}`),
    check('aid_stock_value', sql`${t.unitValue} >= 0`),
    check('aid_stock_source', sql`${t.source} is null or ${t.source} in ('APBD', 'APBN', 'DAK')`),
  ],
);

export const aidAllocations = pgTable(
  'aid_allocations',
  {
    id: id(),
    stockId: uuid('stock_id')
      .notNull()
      .references(() => aidStock.id),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    programId: uuid('program_id').references(() => programs.id),
    quantity: integer('quantity').notNull(),
    status: allocationStatus('status').notNull().default('planned'),
    // The planned handover (date and place) told to the recipient (handover.scheduled).
    plannedAt: date('planned_at', { mode: 'string' }),
    plannedPlace: text('planned_place'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('aid_allocations_stock_business_key')
      .on(t.stockId, t.businessId)
      .where(sql`${t.status} <> 'cancelled'`),
    index('aid_allocations_business_idx').on(t.businessId),
    check('aid_allocations_quantity', sql`${t.quantity} > 0`),
  ],
);

export const aidHandovers = pgTable(
  'aid_handovers',
  {
    id: id(),
    allocationId: uuid('allocation_id')
      .notNull()
      .references(() => aidAllocations.id),
    number: text('number').notNull(),
    handedOverAt: date('handed_over_at', { mode: 'string' }).notNull(),
    place: text('place'),
    legalBasis: text('legal_basis'),
    condition: text('condition').notNull().default('baik'),
    giverUserId: uuid('giver_user_id').references(() => users.id),
    giverName: text('giver_name').notNull(),
    giverNip: text('giver_nip'),
    giverPosition: text('giver_position'),
    photo: bytea('photo'),
    photoType: text('photo_type'),
    // Drawn on the phone at the place of handover (PNG), printed on the BAST.
    recipientSignature: bytea('recipient_signature'),
    officerSignature: bytea('officer_signature'),
    // Only with the recipient's consent.
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    // Made on the phone: a handover resent after a lost answer is recorded once.
    clientKey: text('client_key'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('aid_handovers_allocation_key').on(t.allocationId),
    uniqueIndex('aid_handovers_number_key').on(t.number),
    uniqueIndex('aid_handovers_client_key').on(t.clientKey),
  ],
);

export const products = pgTable(
  'products',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    name: text('name').notNull(),
    description: text('description'),
    price: rupiah('price').notNull(),
    unit: text('unit'),
    // Legacy: the single photo before photos moved to the media store; emptied once moved.
    photo: bytea('photo'),
    photoType: text('photo_type'),
    published: boolean('published').notNull().default(true),
    category: text('category', { enum: productCategories }).notNull().default('lainnya'),
    status: text('status', { enum: productStatuses }).notNull().default('draft'),
    reviewNote: text('review_note'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    photos: jsonb('photos').$type<ProductPhoto[]>().notNull().default([]),
    searchDocument: tsvector('search_document'),
    // The name alone (kept by the same trigger): the first tier of the ranking, matched by its own index.
    nameDocument: tsvector('name_document'),
    // Publicly listed: approved, published, and the business not closed (kept by triggers on
    // products and businesses), so that a search needs no join before its limit.
    listed: boolean('listed').notNull().default(false),
    // The business's kecamatan (kept by the same trigger, and rewritten when the business
    // moves): a search's facets count it from the product's row, without a lookup of the
    // business for each of up to a thousand matches.
    kecamatanCode: text('kecamatan_code'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('products_business_idx').on(t.businessId),
    index('products_status_idx').on(t.status, t.updatedAt),
    check('products_price', sql`${t.price} >= 0`),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId), index('audit_log_at_idx').on(t.at)],
);

// Failed logins, counted per username and per address over a sliding window (login limits).
// A row is written before the password is checked, so concurrent guesses count each other.
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    username: text('username').notNull(),
    address: text('address').notNull(),
  },
  (t) => [
    index('login_attempts_username_idx').on(t.username, t.at),
    index('login_attempts_address_idx').on(t.address, t.at),
  ],
);

export const personalDataAccess = pgTable(
  'personal_data_access',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id),
    kind: accessKind('kind').notNull(),
    subject: text('subject').notNull(),
    filter: jsonb('filter'),
    rows: integer('rows').notNull().default(1),
  },
  (t) => [index('personal_data_access_at_idx').on(t.at)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

export const jobStatus = pgEnum('job_status', jobStatuses);

// Background work (imports, screening, PDF batches) whose record survives a restart.
export const jobs = pgTable(
  'jobs',
  {
    id: id(),
    kind: text('kind').notNull(),
    status: jobStatus('status').notNull().default('queued'),
    createdBy: uuid('created_by').references(() => users.id),
    payload: jsonb('payload').notNull().default({}),
    done: integer('done').notNull().default(0),
    total: integer('total'),
    // Last input position whose work is committed; a resumed job starts after it.
    checkpoint: jsonb('checkpoint'),
    result: jsonb('result'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    lockedBy: text('locked_by'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_status_idx').on(t.status, t.createdAt),
    index('jobs_kind_idx').on(t.kind, t.createdAt),
    // One duplicate-detection run waiting to start at a time: it will read everything committed
    // before it starts, so whoever asks for a run meanwhile shares it (enqueueDedupRun). A run that
    // started once and went back to the queue (stopped, retried) is left out, so that putting it
    // back never collides with a newer one.
    uniqueIndex('jobs_one_queued_dedup_key')
      .on(t.kind)
      .where(sql`${t.kind} = 'dedup' and ${t.status} = 'queued' and ${t.startedAt} is null`),
  ],
);

// An uploaded file kept in chunks beside its job, so any process can (re)run the job.
export const jobFiles = pgTable(
  'job_files',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

export const importIssues = pgTable(
  'import_issues',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    row: integer('row').notNull(),
    column: text('column'),
    severity: text('severity', { enum: issueSeverities }).notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    values: jsonb('values'),
  },
  (t) => [
    index('import_issues_job_idx').on(t.jobId, t.row),
    check('import_issues_severity', sql`${t.severity} in ('error', 'warning')`),
  ],
);

export const dedupDecision = pgEnum('dedup_decision', dedupDecisionKinds);

// A reviewed pair of people, stored once with the smaller id first; never proposed again.
export const dedupDecisions = pgTable(
  'dedup_decisions',
  {
    personA: uuid('person_a').notNull(),
    personB: uuid('person_b').notNull(),
    decision: dedupDecision('decision').notNull(),
    score: numeric('score', { precision: 5, scale: 4, mode: 'number' }),
    reasons: jsonb('reasons'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
    // For a merge: what it moved (survivor, duplicate, each business with its name before, the
    // owner logins and earlier merged people repointed, the decision it replaced), so that it can
    // be undone within the undo period.
    undo: jsonb('undo'),
  },
  (t) => [
    primaryKey({ columns: [t.personA, t.personB] }),
    check('dedup_decisions_order', sql`${t.personA} < ${t.personB}`),
  ],
);

// The review queue of duplicate candidates: the pairs the last detection run proposed, with what
// it measured (the PairFeatures of src/domain/dedup.ts; the reasons are derived from them when a
// page is read). A run replaces all rows in one transaction; a merge or a dismissal deletes the
// pairs it settles. Smaller id first, as in dedup_decisions.
export const dedupCandidates = pgTable(
  'dedup_candidates',
  {
    personA: uuid('person_a')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    personB: uuid('person_b')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    // float8, as computed: the page cursor compares it for equality.
    score: doublePrecision('score').notNull(),
    nikDistance: integer('nik_distance').notNull(),
    nikTransposed: boolean('nik_transposed').notNull(),
    nikOtherKecamatan: boolean('nik_other_kecamatan').notNull().default(false),
    nikMoved: boolean('nik_moved').notNull().default(false),
    name: text('name_relation', { enum: ['same', 'reordered', 'subset', 'similar'] }).notNull(),
    nameSimilarity: doublePrecision('name_similarity').notNull(),
    nameDistance: integer('name_distance').notNull(),
    nameLength: integer('name_length').notNull(),
    shorterNameTokens: integer('shorter_name_tokens').notNull(),
    nameFrequency: integer('name_frequency').notNull(),
    birthDate: text('birth_date_agreement', { enum: ['same', 'different', 'unknown'] }).notNull(),
    sex: text('sex_agreement', { enum: ['same', 'different', 'unknown'] }).notNull(),
    samePhone: boolean('same_phone').notNull(),
    sameAddress: boolean('same_address').notNull(),
    sameKelurahan: boolean('same_kelurahan').notNull(),
    sameBusiness: boolean('same_business').notNull().default(false),
    householdMoved: boolean('household_moved').notNull().default(false),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.personA, t.personB] }),
    check('dedup_candidates_order', sql`${t.personA} < ${t.personB}`),
    check('dedup_candidates_name_relation', sql`${t.name} in ('same', 'reordered', 'subset', 'similar')`),
    check(
      'dedup_candidates_agreements',
      sql`${t.birthDate} in ('same', 'different', 'unknown') and ${t.sex} in ('same', 'different', 'unknown')`,
    ),
    // The page order: score descending, then the ids ascending. On -score all three keys ascend,
    // so a page's cursor is one row comparison the index scan starts from, however many pairs
    // share a score (thousands share 1.0).
    index('dedup_candidates_page_idx').on(sql`(-${t.score})`, t.personA, t.personB),
    // A merge deletes every pair of the duplicate, on either side.
    index('dedup_candidates_person_b_idx').on(t.personB),
  ],
);

// Seats per kecamatan inside a program's capacity; `taken` moves with enrolment.
export const programQuotas = pgTable(
  'program_quotas',
  {
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    kecamatanCode: text('kecamatan_code').notNull(),
    quota: integer('quota').notNull(),
    taken: integer('taken').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.kecamatanCode] }),
    check('program_quotas_within', sql`${t.taken} between 0 and ${t.quota}`),
  ],
);

// What happened to an application, in order; the owner sees it on the status page.
export const applicationEvents = pgTable(
  'application_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
  },
  (t) => [index('application_events_application_idx').on(t.applicationId, t.at)],
);

// NIK lists that rules can exclude (civil servants, deceased, already aided).
export const exclusionLists = pgTable(
  'exclusion_lists',
  {
    id: id(),
    name: text('name').notNull(),
    kind: text('kind', { enum: exclusionKinds }).notNull(),
    source: text('source'),
    entries: integer('entries').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('exclusion_lists_name_key').on(t.name),
    check('exclusion_lists_kind', sql`${t.kind} in ('asn', 'deceased', 'already_aided', 'other')`),
  ],
);

export const exclusionEntries = pgTable(
  'exclusion_entries',
  {
    listId: uuid('list_id')
      .notNull()
      .references(() => exclusionLists.id, { onDelete: 'cascade' }),
    nik: text('nik').notNull(),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.nik] }),
    index('exclusion_entries_nik_idx').on(t.nik),
    check('exclusion_entries_nik_digits', sql`${t.nik} ~ '^[0-9]{16}$'`),
  ],
);

// A business registered with the NIK of a person the officer may not see (another kecamatan's
// owner): it is not attached, nothing of that person is answered, and the link waits here for an
// officer who sees both (the whole registry) to make it or to dismiss it.
export const identityReviews = pgTable(
  'identity_reviews',
  {
    id: id(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    kecamatanCode: text('kecamatan_code').notNull(),
    // The create request as sent (a CreateBusinessBody), made into a business when linked.
    request: jsonb('request').notNull(),
    status: text('status', { enum: ['open', 'linked', 'dismissed'] })
      .notNull()
      .default('open'),
    businessId: uuid('business_id').references(() => businesses.id),
    requestedBy: uuid('requested_by').references(() => users.id),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('identity_reviews_open_idx').on(t.createdAt, t.id).where(sql`${t.status} = 'open'`),
    check('identity_reviews_status', sql`${t.status} in ('open', 'linked', 'dismissed')`),
  ],
);

// ---- notifications (issue 13): the outbox, the templates an admin edited, consent per channel ----

// One row per message. Written in the transaction of the decision that causes it (the
// transactional outbox), sent by the job worker. The dedupe key (event, channel, recipient)
// makes a second enqueue of one event a no-op.
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: id(),
    eventKey: text('event_key').notNull(),
    channel: text('channel', { enum: ['whatsapp', 'sms', 'email'] }).notNull(),
    // 62… for WhatsApp and SMS, the address for e-mail
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    language: text('language').notNull().default('id'),
    variables: jsonb('variables').notNull().default({}),
    // The text as rendered when queued: the message, the click-to-chat text and the preview agree.
    body: text('body').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'delivered', 'failed', 'not_sent'] }).notNull(),
    // why not_sent or failed: no_channel, no_consent, opted_out, or the provider's answer
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    providerMessageId: text('provider_message_id'),
    error: text('error'),
    personId: uuid('person_id').references(() => people.id),
    businessId: uuid('business_id').references(() => businesses.id),
    applicationId: uuid('application_id').references(() => applications.id, { onDelete: 'cascade' }),
    programId: uuid('program_id').references(() => programs.id),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notification_outbox_dedupe_key').on(t.eventKey, t.channel, t.recipient),
    index('notification_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    index('notification_outbox_application_idx').on(t.applicationId, t.createdAt),
    index('notification_outbox_business_idx').on(t.businessId, t.createdAt),
    index('notification_outbox_provider_idx')
      .on(t.channel, t.providerMessageId)
      .where(sql`${t.providerMessageId} is not null`),
    check(
      'notification_outbox_status',
      sql`${t.status} in ('queued', 'sent', 'delivered', 'failed', 'not_sent')`,
    ),
    check('notification_outbox_channel', sql`${t.channel} in ('whatsapp', 'sms', 'email')`),
  ],
);

// A template an admin changed; the defaults live in the code (notifications.templates.ts).
export const notificationTemplates = pgTable(
  'notification_templates',
  {
    key: text('key').notNull(),
    language: text('language').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    // the name of the approved WhatsApp template (Meta) this key is sent as
    whatsappName: text('whatsapp_name'),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.key, t.language] })],
);

// Consent and opt-out per person and channel (UU PDP): the latest say, with its source and time;
// the audit log keeps the history. For e-mail the row also holds the address consented to.
export const notificationConsents = pgTable(
  'notification_consents',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel', { enum: ['whatsapp', 'sms', 'email'] }).notNull(),
    granted: boolean('granted').notNull(),
    source: text('source', { enum: ['form', 'officer', 'owner', 'reply'] }).notNull(),
    address: text('address'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.channel] }),
    check('notification_consents_source', sql`${t.source} in ('form', 'officer', 'owner', 'reply')`),
  ],
);

// ---- Equipment aid in depth (issue 10): packages, multi-item handovers, returns, monitoring ----

// A named set of stock lines given together to one recipient ("paket alat anyam").
export const aidPackages = pgTable(
  'aid_packages',
  {
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    budgetYear: integer('budget_year').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('aid_packages_org_name_key').on(t.organisationId, t.budgetYear, t.name)],
);

export const aidPackageItems = pgTable(
  'aid_package_items',
  {
    packageId: uuid('package_id')
      .notNull()
      .references(() => aidPackages.id, { onDelete: 'cascade' }),
    stockId: uuid('stock_id')
      .notNull()
      .references(() => aidStock.id),
    quantity: integer('quantity').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.packageId, t.stockId] }),
    check('aid_package_items_quantity', sql`${t.quantity} > 0`),
  ],
);

// Every allocation a BAST lists (the handover's own allocation_id is its first one).
export const aidHandoverItems = pgTable(
  'aid_handover_items',
  {
    handoverId: uuid('handover_id')
      .notNull()
      .references(() => aidHandovers.id, { onDelete: 'cascade' }),
    allocationId: uuid('allocation_id')
      .notNull()
      .references(() => aidAllocations.id),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.handoverId, t.allocationId] }),
    uniqueIndex('aid_handover_items_allocation_key').on(t.allocationId),
  ],
);

// A return (the item goes back into stock) or a write-off (damaged beyond use or lost) of one
// handed-over item; one per allocation, so stock goes back exactly once.
export const aidReturns = pgTable(
  'aid_returns',
  {
    id: id(),
    number: text('number').notNull(),
    handoverId: uuid('handover_id')
      .notNull()
      .references(() => aidHandovers.id),
    allocationId: uuid('allocation_id')
      .notNull()
      .references(() => aidAllocations.id),
    kind: text('kind', { enum: ['return', 'write_off'] }).notNull(),
    condition: text('condition').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('aid_returns_number_key').on(t.number),
    uniqueIndex('aid_returns_allocation_key').on(t.allocationId),
    check('aid_returns_kind', sql`${t.kind} in ('return', 'write_off')`),
    check('aid_returns_condition', sql`${t.condition} in ('baik', 'rusak_ringan', 'rusak_berat', 'hilang')`),
  ],
);

// A returned item given to another graduate: once per return.
export const aidReallocations = pgTable(
  'aid_reallocations',
  {
    id: id(),
    number: text('number').notNull(),
    returnId: uuid('return_id')
      .notNull()
      .references(() => aidReturns.id),
    allocationId: uuid('allocation_id')
      .notNull()
      .references(() => aidAllocations.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('aid_reallocations_number_key').on(t.number),
    uniqueIndex('aid_reallocations_return_key').on(t.returnId),
  ],
);

// A visit after the handover: is the equipment used, in what condition.
export const aidMonitoringVisits = pgTable(
  'aid_monitoring_visits',
  {
    id: id(),
    handoverId: uuid('handover_id')
      .notNull()
      .references(() => aidHandovers.id),
    allocationId: uuid('allocation_id').references(() => aidAllocations.id),
    visitedAt: date('visited_at', { mode: 'string' }).notNull(),
    inUse: boolean('in_use').notNull(),
    condition: text('condition').notNull(),
    note: text('note'),
    photo: bytea('photo'),
    photoType: text('photo_type'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('aid_monitoring_visits_handover_idx').on(t.handoverId, t.visitedAt),
    check(
      'aid_monitoring_visits_condition',
      sql`${t.condition} in ('baik', 'rusak_ringan', 'rusak_berat', 'hilang')`,
    ),
  ],
);

// ---- cohort-b: participants rate the training (issue 10, point 4) ----

// One rating per application (1–5 and a remark), given from the status link once the
// participant attended or completed; it may be changed.
export const trainingRatings = pgTable(
  'training_ratings',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id),
    rating: smallint('rating').notNull(),
    remark: text('remark'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('training_ratings_rating', sql`${t.rating} between 1 and 5`)],
);

// ---- complaints (issue 13, point 5): pengaduan from the public form or entered by an officer ----

// One complaint. The kecamatan is taken from the linked business (directly or through the linked
// application) when the link is set, so that a kecamatan office's scope is one column.
export const complaints = pgTable(
  'complaints',
  {
    id: id(),
    // PGD-XXXXXX: the tracking code, random, read out on the phone
    code: text('code').notNull(),
    name: text('name').notNull(),
    // +62… as normalised; null when the complainant gave none (a walk-in without a phone)
    phone: text('phone'),
    message: text('message').notNull(),
    channel: text('channel', { enum: ['web', 'phone', 'whatsapp', 'walk_in', 'lapor'] }).notNull(),
    status: text('status', { enum: ['baru', 'diproses', 'selesai', 'ditolak'] })
      .notNull()
      .default('baru'),
    programId: uuid('program_id').references(() => programs.id),
    applicationId: uuid('application_id').references(() => applications.id),
    businessId: uuid('business_id').references(() => businesses.id),
    kecamatanCode: text('kecamatan_code'),
    // the SP4N-LAPOR! tracking number when the complaint came (or was forwarded) through LAPOR!
    laporRef: text('lapor_ref'),
    assignedTo: uuid('assigned_to').references(() => users.id),
    createdBy: uuid('created_by').references(() => users.id),
    // the office's date by which an answer is due: 5 working days after it was received
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    // the published answer (shown on the status page and sent to the complainant)
    answer: text('answer'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('complaints_code_key').on(t.code),
    index('complaints_status_due_idx').on(t.status, t.dueDate),
    index('complaints_program_idx').on(t.programId),
    index('complaints_kecamatan_idx').on(t.kecamatanCode),
    check('complaints_status', sql`${t.status} in ('baru', 'diproses', 'selesai', 'ditolak')`),
    check('complaints_channel', sql`${t.channel} in ('web', 'phone', 'whatsapp', 'walk_in', 'lapor')`),
  ],
);

// Internal notes on a complaint: for the office only, never on the status page.
export const complaintNotes = pgTable(
  'complaint_notes',
  {
    id: id(),
    complaintId: uuid('complaint_id')
      .notNull()
      .references(() => complaints.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('complaint_notes_complaint_idx').on(t.complaintId, t.createdAt)],
);

// ---- market access (issue 11, points 3–5): storefronts, promotion events, sales ----

// A business's public storefront (/toko/{slug}). The slug is made from the business name once
// and kept when the business is renamed, so shared links keep working; an officer or the owner
// may change it. The links are checked per platform before they are stored.
export const storefronts = pgTable(
  'storefronts',
  {
    businessId: uuid('business_id')
      .primaryKey()
      .references(() => businesses.id),
    slug: text('slug').notNull(),
    tokopediaUrl: text('tokopedia_url'),
    shopeeUrl: text('shopee_url'),
    tiktokShopUrl: text('tiktok_shop_url'),
    instagramUrl: text('instagram_url'),
    // The owner's consent to show the trainings completed (the certificates) on the storefront,
    // and who recorded it when: an officer may record a consent given in person.
    showTrainings: boolean('show_trainings').notNull().default(false),
    consentRecordedAt: timestamp('consent_recorded_at', { withTimezone: true }),
    consentRecordedBy: uuid('consent_recorded_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('storefronts_slug_key').on(t.slug)],
);

// WhatsApp order clicks per product and office day: a count only, nothing about who clicked.
export const orderClicks = pgTable(
  'order_clicks',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    day: date('day', { mode: 'string' }).notNull(),
    clicks: integer('clicks').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.day] }),
    index('order_clicks_business_day_idx').on(t.businessId, t.day),
  ],
);

// A promotion event: a bazaar, an exhibition (pameran) or a business meeting (temu bisnis).
export const promotionEvents = pgTable(
  'promotion_events',
  {
    id: id(),
    name: text('name').notNull(),
    kind: text('kind', { enum: eventKinds }).notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    venue: text('venue').notNull(),
    description: text('description'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('promotion_events_start_idx').on(t.startDate),
    check('promotion_events_kind', sql`${t.kind} in ('bazaar', 'pameran', 'temu_bisnis')`),
    check('promotion_events_dates', sql`${t.endDate} >= ${t.startDate}`),
  ],
);

// The businesses taking part in an event; a booth number is given once per event (the database
// refuses a second business on the same booth).
export const eventParticipants = pgTable(
  'event_participants',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => promotionEvents.id, { onDelete: 'cascade' }),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    booth: text('booth'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.businessId] }),
    uniqueIndex('event_participants_booth_key').on(t.eventId, t.booth),
    index('event_participants_business_idx').on(t.businessId),
  ],
);

// A sale as recorded by the owner or an officer, or imported from an event's cash book.
export const sales = pgTable(
  'sales',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    date: date('date', { mode: 'string' }).notNull(),
    amount: rupiah('amount').notNull(),
    channel: text('channel', { enum: saleChannels }).notNull(),
    note: text('note'),
    eventId: uuid('event_id').references(() => promotionEvents.id),
    source: text('source', { enum: saleSources }).notNull().default('entry'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('sales_business_date_idx').on(t.businessId, t.date),
    index('sales_event_idx').on(t.eventId),
    index('sales_date_idx').on(t.date),
    check('sales_amount', sql`${t.amount} > 0`),
    check(
      'sales_channel',
      sql`${t.channel} in ('langsung', 'titip_toko', 'pasar', 'media_sosial', 'marketplace', 'ekatalog', 'acara')`,
    ),
  ],
);

// ---- outcomes (issue 12, points 1–3): follow-ups of graduates and their answers ----

// One follow-up (tindak lanjut) of one graduate, due on a day (3 or 6 months after the end, or
// any day the office picks). Opening the same day twice opens nothing new: one per program, day
// and application. The token is the graduate's personal link; it carries no personal data.
export const followUps = pgTable(
  'follow_ups',
  {
    id: id(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    dueAt: date('due_at', { mode: 'string' }).notNull(),
    token: text('token').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('follow_ups_program_due_application_key').on(t.programId, t.dueAt, t.applicationId),
    uniqueIndex('follow_ups_token_key').on(t.token),
    index('follow_ups_application_idx').on(t.applicationId),
  ],
);

// Every answer given to a follow-up, kept: the graduate may answer again, or an officer record
// a call or a visit; the latest (answered_at, then id) is the follow-up's answer.
export const followUpAnswers = pgTable(
  'follow_up_answers',
  {
    id: id(),
    followUpId: uuid('follow_up_id')
      .notNull()
      .references(() => followUps.id),
    salesLastMonth: rupiah('sales_last_month').notNull(),
    workers: integer('workers').notNull(),
    stillProducing: boolean('still_producing').notNull(),
    channels: jsonb('channels').$type<string[]>().notNull().default([]),
    // null when the graduate received no equipment
    aidInUse: boolean('aid_in_use'),
    aidNotUsedReason: text('aid_not_used_reason'),
    remark: text('remark'),
    // self: through the personal link; phone, visit: recorded by an officer
    source: text('source', { enum: ['self', 'phone', 'visit'] }).notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('follow_up_answers_follow_up_idx').on(t.followUpId, t.answeredAt),
    check('follow_up_answers_amounts', sql`${t.salesLastMonth} >= 0 and ${t.workers} >= 0`),
    check('follow_up_answers_source', sql`${t.source} in ('self', 'phone', 'visit')`),
  ],
);

// ---- Laporan Kegiatan (activity report) of a program: its texts and the event's photos ----

// The texts an officer writes for a program's activity report (one row per program).
export const programReports = pgTable('program_reports', {
  programId: uuid('program_id')
    .primaryKey()
    .references(() => programs.id),
  // latar belakang
  background: text('background'),
  // dasar hukum: the decrees and regulations the activity rests on, one per line
  legalBasis: text('legal_basis'),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: updatedAt(),
});

// Photos of the event (opening, sessions, practice), stored as the handover photos are.
export const programPhotos = pgTable(
  'program_photos',
  {
    id: id(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    photo: bytea('photo').notNull(),
    photoType: text('photo_type').notNull(),
    caption: text('caption'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('program_photos_program_idx').on(t.programId, t.createdAt)],
);

// ---- field registry (issue 16): self-registration and verification visits ----

// A business and its owner as registered by the owner (/daftar-usaha) or by a kecamatan officer on
// a walk. It stays out of the registry (people, businesses) until an officer's visit verifies it,
// so screening, programs and reports only ever see verified or officer-entered businesses. The
// status link's token is kept only as its hash.
export const registrations = pgTable(
  'registrations',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    source: text('source', { enum: registrationSources }).notNull(),
    status: text('status', { enum: registrationStatuses }).notNull().default('menunggu_verifikasi'),
    nik: text('nik').notNull(),
    name: text('name').notNull(),
    sex: sexEnum('sex').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    phone: text('phone').notNull(),
    address: text('address').notNull(),
    regionCode: text('region_code').notNull(),
    kecamatanCode: text('kecamatan_code').notNull(),
    businessName: text('business_name').notNull(),
    kbli: text('kbli'),
    kbliVersion: smallint('kbli_version'),
    annualTurnover: rupiah('annual_turnover'),
    workers: integer('workers'),
    covidImpacted: boolean('covid_impacted'),
    photo: bytea('photo'),
    photoType: text('photo_type'),
    // UU PDP: the consent text's version the owner agreed to, and when
    consentVersion: text('consent_version').notNull(),
    consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
    // The registry's person with this NIK, or a strong match (same phone and birth date), when the
    // registration came in: for the verifying officer only, never shown on the public pages.
    matchPersonId: uuid('match_person_id').references(() => people.id),
    // the import's warning codes (NIK vs birth date or sex, a pre-split region code)
    warnings: jsonb('warnings').notNull().default([]),
    // what the owner must fix (perlu_perbaikan) or why it was refused (ditolak)
    officerNote: text('officer_note'),
    businessId: uuid('business_id').references(() => businesses.id),
    // made on the officer's phone for a registration entered offline: a resend is recorded once
    clientKey: text('client_key'),
    createdBy: uuid('created_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('registrations_token_key').on(t.tokenHash),
    uniqueIndex('registrations_client_key').on(t.clientKey).where(sql`${t.clientKey} is not null`),
    index('registrations_queue_idx').on(t.kecamatanCode, t.status, t.createdAt, t.id),
    check('registrations_nik_digits', sql`${t.nik} ~ '^[0-9]{16}$'`),
    check(
      'registrations_status',
      sql`${t.status} in ('menunggu_verifikasi', 'perlu_perbaikan', 'terverifikasi', 'ditolak')`,
    ),
    check('registrations_source', sql`${t.source} in ('public', 'officer')`),
    check(
      'registrations_amounts',
      sql`coalesce(${t.annualTurnover}, 0) >= 0 and coalesce(${t.workers}, 0) >= 0`,
    ),
  ],
);

// A verification visit, synced from the officer's phone: one per client key, so a resend after a
// lost answer is recorded once. GPS only with the owner's consent.
export const registrationVisits = pgTable(
  'registration_visits',
  {
    id: id(),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registrations.id, { onDelete: 'cascade' }),
    clientKey: text('client_key').notNull(),
    officerId: uuid('officer_id')
      .notNull()
      .references(() => users.id),
    visitedAt: timestamp('visited_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: visitOutcomes }).notNull(),
    businessExists: boolean('business_exists').notNull(),
    ownerMet: boolean('owner_met').notNull(),
    nikSeen: boolean('nik_seen').notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    note: text('note'),
    photo: bytea('photo'),
    photoType: text('photo_type'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('registration_visits_client_key').on(t.clientKey),
    index('registration_visits_registration_idx').on(t.registrationId, t.visitedAt),
    check(
      'registration_visits_outcome',
      sql`${t.outcome} in ('terverifikasi', 'perlu_perbaikan', 'ditolak')`,
    ),
  ],
);

// The catalogue's vocabulary: every word of a product's name, description and business, with
// its Indonesian stem, for typo correction ("rottan" → "rotan") by trigram similarity and for
// "mungkin maksud Anda …". Filled by the products trigger; words are never removed (a stale
// word only costs a suggestion that the search then checks).
export const catalogWords = pgTable('catalog_words', {
  word: text('word').primaryKey(),
  lexeme: text('lexeme').notNull(),
});

// Every lexeme of the products' search documents (the filter marks aside), kept by the products
// trigger: a typed prefix (`rot` → `rot:*`) is searched as an exact OR of the lexemes that start
// with it, which the GIN index answers for less than a prefix scan of its entries. Never
// removed: a lexeme no product has any more adds a branch that matches nothing. Its column
// compares bytewise (collation "C", set by migration catalog-prefix_sql), so that the lexemes
// starting with a prefix are one run of the primary key's order.
export const catalogLexemes = pgTable('catalog_lexemes', {
  lexeme: text('lexeme').primaryKey(),
});

// ---- scale-test (issue 14): several processes behind a load balancer

// Idempotency-Key on POSTs (src/modules/idempotency): the first answer to a key, kept for a
// day, so that a client retrying after a lost answer (a process killed mid-request, a dropped
// phone connection) gets that answer again instead of the work done twice. `status` is null
// while the first request runs; its lease (`locked_until`) lets a retry take the key over
// once the process that held it is gone.
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    // the user's id, or 'public' for the forms without an account
    actor: text('actor').notNull(),
    key: text('key').notNull(),
    // sha-256 of method, path and body: the same key with another request is refused
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    contentType: text('content_type'),
    body: text('body'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.actor, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);
// ---- outcomes-fast (issue 12): the outcome of every application, kept up to date ----

// One row per application with what the funnel and the outcome figures need (the business's
// kecamatan and KBLI, equipment, and for a graduate the flags of DOMAIN.md "Outcomes"), so the
// dashboard and the reports sum one narrow table instead of joining applications, businesses,
// follow-ups and answers on every request. Written only by the SQL function
// refresh_application_outcomes, which the triggers on applications, businesses, programs,
// follow_ups, follow_up_answers and aid_allocations call for the applications a statement
// touched (migration outcomes-fast_sql); nothing else writes it.
export const applicationOutcomes = pgTable(
  'application_outcomes',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    programId: uuid('program_id').notNull(),
    businessId: uuid('business_id').notNull(),
    status: applicationStatus('status').notNull(),
    kecamatanCode: text('kecamatan_code').notNull(),
    kbli: text('kbli'),
    // a graduate whose business was handed equipment allocated under this program
    equipped: smallint('equipped').notNull(),
    // the graduate's flags (0 or 1; all 0 for an application not completed)
    asked: smallint('asked').notNull(),
    answered: smallint('answered').notNull(),
    selling: smallint('selling').notNull(),
    newEntrepreneur: smallint('new_entrepreneur').notNull(),
    active: smallint('active').notNull(),
    recoveredKnown: smallint('recovered_known').notNull(),
    recovered: smallint('recovered').notNull(),
    // the latest follow-up's due day (null when none was opened)
    lastDue: date('last_due', { mode: 'string' }),
    turnoverBefore: rupiah('turnover_before'),
    turnoverAfter: rupiah('turnover_after'),
    workersBefore: integer('workers_before'),
    workersAfter: integer('workers_after'),
  },
  (t) => [
    index('application_outcomes_program_idx').on(t.programId),
    index('application_outcomes_kecamatan_idx').on(t.kecamatanCode),
  ],
);

// Registered businesses per kecamatan (and how many hit by Covid-19), kept by statement triggers
// on businesses (migration outcomes-fast_sql), so the dashboard's count of businesses does not
// read the whole registry on every request. Nothing else writes it.
export const businessCounts = pgTable('business_counts', {
  kecamatanCode: text('kecamatan_code').primaryKey(),
  businesses: integer('businesses').notNull(),
  covidImpacted: integer('covid_impacted').notNull(),
});

// ---- namesearch (issue 14 point 3): name search by words ----

// The search document of a row's name: its words and pairs of adjacent words (registry_name_terms,
// migration namesearch_sql; the rule and the search that reads it are src/domain/name-search.ts).
// Kept by triggers (migration business-search): computed on an insert that leaves it at its
// default and on a change of name, so every writer, raw SQL included, keeps it right; a first
// load gives it from Node for plain ASCII names instead (nameSearchDocument). A function
// declaration, hoisted, so that the registry tables above can use it.
function nameSearch() {
  return customType<{ data: string }>({ dataType: () => 'tsvector' })('search')
    .notNull()
    .default(sql`''::tsvector`);
}

// ---- namesearch2 (issue 14 point 3): the owner's name searched on the business row ----

// The search document of the owner's name (the same rule as `search`), carried on each of
// their businesses so that a name search is one index scan of businesses instead of one of
// people followed by a look-up of every matching person's businesses. Kept by triggers
// (migration namesearch2_sql): computed from the owner on every insert and change of owner,
// and rewritten on the businesses of a person whose name changes; so every writer, raw SQL
// included, keeps it right. The default only stands until the insert trigger replaces it.
function ownerNameSearch() {
  return customType<{ data: string }>({ dataType: () => 'tsvector' })('owner_search')
    .notNull()
    .default(sql`''::tsvector`);
}
