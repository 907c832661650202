import type { DbOrTx } from '../db/client.ts';
import { applications, businesses, people } from '../db/schema.ts';
import { generateNik } from '../domain/nik.ts';

// Test-only factory: many owners and businesses in a few multi-row inserts, for tests and
// benchmarks that need a crowd (creating 1,000 businesses through the API takes minutes).
// It writes the registry's tables directly, so it skips the API's checks on purpose; the
// rows it makes are valid ones.

export type BulkBusiness = {
  id: string;
  personId: string;
  nik: string;
  phone: string;
  name: string;
  regionCode: string;
  kecamatanCode: string;
};

export type BulkOptions = {
  // Kelurahan codes, used in turn (the kecamatan is derived).
  regionCodes?: readonly string[];
  kbli?: string | null;
  covidImpacted?: (i: number) => boolean | null;
  annualTurnover?: (i: number) => number | null;
  // Give one owner this many businesses in a row (1 = one each).
  businessesPerOwner?: number;
  // Names to find the rows by in what the API prints (by default numbered ones).
  ownerName?: (i: number) => string;
  businessName?: (i: number) => string;
};

// Serials 9001–9999 stay clear of the harness's createBusiness (1–9000), so the two never
// make the same NIK; a process-wide counter keeps successive calls apart.
let made = 0;

function nikOf(n: number, kecamatanCode: string) {
  const day = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 999) * 86_400_000);
  const birthDate = day.toISOString().slice(0, 10);
  const sex = n % 2 === 0 ? 'P' : 'L';
  return {
    nik: generateNik({ kecamatanCode, birthDate, sex, serial: 9001 + (n % 999) }),
    birthDate,
    sex: sex as 'L' | 'P',
  };
}

export async function bulkBusinesses(db: DbOrTx, count: number, options: BulkOptions = {}) {
  const regionCodes = options.regionCodes ?? ['62.71.02.1004'];
  const perOwner = Math.max(1, options.businessesPerOwner ?? 1);
  const start = made;
  made += count;
  const out: BulkBusiness[] = [];
  for (let from = 0; from < count; from += 500) {
    const rows = Array.from({ length: Math.min(500, count - from) }, (_, k) => from + k);
    const ownerRows = rows.filter((i) => i % perOwner === 0);
    const owners = await db
      .insert(people)
      .values(
        ownerRows.map((i) => {
          const n = start + i;
          const regionCode = regionCodes[i % regionCodes.length]!;
          const { nik, birthDate, sex } = nikOf(n, regionCode.slice(0, 8));
          return {
            nik,
            name: options.ownerName ? options.ownerName(i) : `Pemilik Massal ${n}`,
            sex,
            birthDate,
            phone: `+62813${String(10_000_000 + (n % 90_000_000)).slice(-8)}`,
            address: `Jl. Tjilik Riwut No. ${1 + (n % 200)}`,
          };
        }),
      )
      .returning({ id: people.id, nik: people.nik, phone: people.phone });
    const ownerOf = (i: number) => owners[ownerRows.indexOf(i - (i % perOwner))]!;
    const inserted = await db
      .insert(businesses)
      .values(
        rows.map((i) => {
          const regionCode = regionCodes[i % regionCodes.length]!;
          return {
            ownerId: ownerOf(i).id,
            name: options.businessName ? options.businessName(i) : `Usaha Massal ${start + i}`,
            kbli: options.kbli === undefined ? '16291' : options.kbli,
            kbliVersion: 2020,
            regionCode,
            kecamatanCode: regionCode.slice(0, 8),
            annualTurnover: options.annualTurnover ? options.annualTurnover(i) : 60_000_000,
            workers: 2,
            covidImpacted: options.covidImpacted ? options.covidImpacted(i) : true,
            status: 'aktif' as const,
          };
        }),
      )
      .returning({
        id: businesses.id,
        ownerId: businesses.ownerId,
        name: businesses.name,
        regionCode: businesses.regionCode,
        kecamatanCode: businesses.kecamatanCode,
      });
    for (const [k, b] of inserted.entries()) {
      const owner = ownerOf(rows[k]!);
      out.push({ ...b, personId: owner.id, nik: owner.nik, phone: owner.phone ?? '' });
    }
  }
  return out;
}

// Applications straight into the table (no events, no seats taken): for testing what runs
// over many applications, such as a priority selection. One millisecond apart, in order.
export async function bulkApplications(
  db: DbOrTx,
  programId: string,
  businessIds: readonly string[],
  status: 'pending' | 'waitlisted' = 'pending',
) {
  const base = Date.now() - businessIds.length;
  const ids: string[] = [];
  for (let from = 0; from < businessIds.length; from += 1000) {
    const rows = await db
      .insert(applications)
      .values(
        businessIds.slice(from, from + 1000).map((businessId, k) => ({
          programId,
          businessId,
          status,
          source: 'officer' as const,
          createdAt: new Date(base + from + k),
          updatedAt: new Date(base + from + k),
        })),
      )
      .returning({ id: applications.id });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}
