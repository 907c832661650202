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

// Market access (issue 11): promotion events and recorded sales. Text columns with a check.
export const eventKinds = ['bazaar', 'pameran', 'temu_bisnis'] as const;
// Where a sale was made: the places a follow-up asks about (DOMAIN.md), plus a promotion event.
export const saleChannels = [
  'langsung',
  'titip_toko',
  'pasar',
  'media_sosial',
  'marketplace',
  'ekatalog',
  'acara',
] as const;
export const saleSources = ['entry', 'import'] as const;
// Self-registration and the kecamatan officer's verification visit (issue 16). A registration
// waits as menunggu_verifikasi; a visit ends it terverifikasi, perlu_perbaikan (the owner fixes it
// through the status link and it waits again) or ditolak.
export const registrationStatuses = [
  'menunggu_verifikasi',
  'perlu_perbaikan',
  'terverifikasi',
  'ditolak',
] as const;
export const visitOutcomes = ['terverifikasi', 'perlu_perbaikan', 'ditolak'] as const;
export const registrationSources = ['public', 'officer'] as const;
// Complaints (pengaduan); the web app's dashboard counts them without the API's schemas.
export const complaintStatuses = ['baru', 'diproses', 'selesai', 'ditolak'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];
export type VisitOutcome = (typeof visitOutcomes)[number];
