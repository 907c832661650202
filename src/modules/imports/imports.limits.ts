import type { Role } from '../../policies.ts';

// The limits of one import, each overridable by the environment. They bound what a single
// upload may cost the server: the bytes stored, the rows read, the issues written, and the
// length of one record held in memory.

const mb = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1024 * 1024;

// A kecamatan office registers its own kecamatan (a few thousand businesses, a few MB); the
// Dinas imports the whole kabupaten/kota. The CLI reads local files and has no size limit.
export function maxUploadBytesFor(role: Role): number {
  switch (role) {
    case 'admin':
    case 'program_officer':
      return mb('PULIH_IMPORT_MAX_MB', 300);
    case 'kecamatan_officer':
      return mb('PULIH_IMPORT_MAX_MB_KECAMATAN', 20);
    case 'sopd_officer':
    case 'owner':
      return 0;
  }
}

// The largest limit of any role: what the multipart parser accepts before the role is known.
export const maxUploadBytes = Math.max(maxUploadBytesFor('admin'), maxUploadBytesFor('kecamatan_officer'));

export const importLimits = {
  // rows of one file (a kabupaten/kota registry is well under this)
  maxRows: Number(process.env.PULIH_IMPORT_MAX_ROWS ?? 2_000_000),
  // errors of one file: past this, the file is not a registry to fix row by row
  maxErrors: Number(process.env.PULIH_IMPORT_MAX_ERRORS ?? 50_000),
  // warnings stored per file; past this they are counted, not stored
  maxStoredWarnings: Number(process.env.PULIH_IMPORT_MAX_WARNINGS ?? 50_000),
  // characters of one CSV record (a registry row is a few hundred)
  maxRecordChars: Number(process.env.PULIH_IMPORT_MAX_RECORD_KB ?? 64) * 1024,
  // characters of an XLSX's shared strings per byte of the file (real workbooks: under 10)
  maxExpansion: Number(process.env.PULIH_IMPORT_MAX_EXPANSION ?? 40),
  // ... but never less than this many characters
  minSharedChars: 16 * 1024 * 1024,
  // columns of one row read from a file (a registry has about twenty)
  maxColumns: Number(process.env.PULIH_IMPORT_MAX_COLUMNS ?? 200),
  // XLSX is a ZIP of XML: bytes unpacked per byte of the file (real workbooks: 5 to 30) ...
  maxInflateRatio: Number(process.env.PULIH_IMPORT_MAX_INFLATE_RATIO ?? 100),
  // ... but never less than this many bytes
  minInflatedBytes: 64 * 1024 * 1024,
  // XML bytes of one sheet row or one shared string, and of any text or tag (Excel holds at
  // most 32,767 characters in a cell)
  maxXmlRecordBytes: Number(process.env.PULIH_IMPORT_MAX_XML_RECORD_KB ?? 1024) * 1024,
  // entries of the shared-strings table per byte of the file (one string takes several bytes
  // even packed) ...
  maxSharedStringsPerByte: 0.5,
  // ... but never fewer than this many
  minSharedStrings: 1_000_000,
  // the styles part, unpacked (Excel's own limit of 64,000 cell formats is a few MB)
  maxStylesBytes: Number(process.env.PULIH_IMPORT_MAX_STYLES_MB ?? 8) * 1024 * 1024,
  // column definitions of a sheet (a sheet has 16,384 columns)
  maxColumnDefinitions: 16_384,
};
