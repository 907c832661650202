// The closed sets of values the database stores as PostgreSQL enums (and a few text columns
// checked by drizzle), each declared once: src/db/schema.ts builds its pgEnum from them, the
// zod schemas their z.enum, and the web app its pick lists. Plain arrays, no imports, so the
// domain, the schemas and the web bundle may all import this file.
// Adding a value here changes the database enum: run `npm run db:generate` for its migration.

export const organisationKinds = ['platform', 'dinas', 'sopd', 'kecamatan'] as const;
export const sexes = ['L', 'P'] as const;
export const userRoles = ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner'] as const;
export const tokenKinds = ['session', 'api', 'invite'] as const;
export const businessStatuses = ['aktif', 'tidak_aktif', 'tutup'] as const;
export const programTypes = ['training', 'aid', 'promotion'] as const;
export const selectionModes = ['first_come', 'priority'] as const;
export const applicationStatuses = [
  'pending',
  'ineligible',
  'enrolled',
  'waitlisted',
  'withdrawn',
  'completed',
  'dropped',
] as const;
export const attendanceMethods = ['qr', 'manual'] as const;
export const allocationStatuses = [
  'planned',
  'handed_over',
  'received',
  'cancelled',
  'returned',
  'written_off',
] as const;
export const accessKinds = ['view', 'export'] as const;
export const jobStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const dedupDecisionKinds = ['not_same', 'merged'] as const;

// Text columns with a closed set (drizzle checks them on write; the database does not).
export const applicationSources = ['officer', 'owner', 'public'] as const;
export const issueSeverities = ['error', 'warning'] as const;
// Civil servants, the deceased and people already aided: the BPK audit of the 2020 BPUM grants
// found tens of thousands of each among recipients.
export const exclusionKinds = ['asn', 'deceased', 'already_aided', 'other'] as const;

// The public catalogue: a product's category, and where it stands in the office's review.
export const productCategories = [
  'kerajinan',
  'makanan',
  'minuman',
  'fesyen',
  'kecantikan',
  'pertanian',
  'perabot',
  'jasa',
  'lainnya',
] as const;
// draft → submitted → approved (public) or returned (with a note) → submitted again.
export const productStatuses = ['draft', 'submitted', 'approved', 'returned'] as const;
export type ProductCategory = (typeof productCategories)[number];
export type ProductStatus = (typeof productStatuses)[number];

export type BusinessStatus = (typeof businessStatuses)[number];
