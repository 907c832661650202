import { smallCellThreshold, suppressSmall, suppressWith } from '../../domain/small-cells.ts';
import type { AppContext } from '../../lib/context.ts';
import { neutraliseFormula } from '../../lib/spreadsheet.ts';
import { getRecap, getRecapYears, type OutcomeCounts, type Recap } from '../reports/recap.service.ts';
import { getSettings } from '../settings/settings.service.ts';

// Open data and the transparency page: figures per program and per program and kecamatan,
// never a person. Built from the same recap as the annual XLSX (src/modules/reports), read on
// the replica when there is one, with counts of 1 and 2 suppressed (src/domain/small-cells.ts).

export type OpenDataRow = {
  level: 'program' | 'kecamatan';
  programId: string;
  program: string;
  type: string;
  organisation: string;
  startDate: string;
  endDate: string;
  year: number;
  kecamatanCode: string | null;
  kecamatan: string | null;
  applicants: number | null;
  participants: number | null;
  completed: number | null;
  certified: number | null;
  equipped: number | null;
  aidQuantity: number | null;
  aidValue: number | null;
  followedUp: number | null;
  answered: number | null;
  newEntrepreneurs: number | null;
  activeAfterFollowUp: number | null;
  recovered: number | null;
  recoveredKnown: number | null;
};

export const openDataColumns: Array<keyof OpenDataRow> = [
  'level',
  'programId',
  'program',
  'type',
  'organisation',
  'startDate',
  'endDate',
  'year',
  'kecamatanCode',
  'kecamatan',
  'applicants',
  'participants',
  'completed',
  'certified',
  'equipped',
  'aidQuantity',
  'aidValue',
  'followedUp',
  'answered',
  'newEntrepreneurs',
  'activeAfterFollowUp',
  'recovered',
  'recoveredKnown',
];

type Counts = {
  applicants: number;
  participants: number;
  completed: number;
  certified: number;
  equipped: number;
  aidQuantity: number;
  aidValue: number;
  outcomes: OutcomeCounts;
};

function publishedCounts(c: Counts) {
  return {
    applicants: suppressSmall(c.applicants),
    participants: suppressSmall(c.participants),
    completed: suppressSmall(c.completed),
    certified: suppressSmall(c.certified),
    equipped: suppressSmall(c.equipped),
    aidQuantity: suppressWith(c.aidQuantity, c.equipped),
    aidValue: suppressWith(c.aidValue, c.equipped),
    followedUp: suppressSmall(c.outcomes.asked),
    answered: suppressSmall(c.outcomes.answered),
    newEntrepreneurs: suppressSmall(c.outcomes.newEntrepreneurs),
    activeAfterFollowUp: suppressSmall(c.outcomes.activeAfterFollowUp),
    recovered: suppressSmall(c.outcomes.recovered),
    recoveredKnown: suppressSmall(c.outcomes.recoveredKnown),
  };
}

export function openDataRows(recap: Recap): OpenDataRow[] {
  const rows: OpenDataRow[] = [];
  for (const p of recap.programs) {
    const common = {
      programId: p.programId,
      program: p.programName,
      type: p.type,
      organisation: p.organisation,
      startDate: p.startDate,
      endDate: p.endDate,
      year: Number(p.endDate.slice(0, 4)),
    };
    rows.push({ level: 'program', ...common, kecamatanCode: null, kecamatan: null, ...publishedCounts(p) });
    for (const k of recap.byProgramKecamatan.filter((r) => r.programId === p.programId)) {
      rows.push({
        level: 'kecamatan',
        ...common,
        kecamatanCode: k.kecamatan,
        kecamatan: k.kecamatanName,
        ...publishedCounts(k),
      });
    }
  }
  return rows;
}

export async function getOpenData(ctx: AppContext, year: number | undefined) {
  const recap = await getRecap(ctx, { year });
  return {
    generatedAt: new Date(),
    year: year ?? null,
    suppressedBelow: smallCellThreshold,
    items: openDataRows(recap),
  };
}

// RFC 4180, a header row with the JSON's field names; an empty cell is a suppressed count (or
// the program-level row's kecamatan). Text cells are neutralised against spreadsheet formulas.
export function openDataCsv(rows: OpenDataRow[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return String(v);
    const text = neutraliseFormula(String(v));
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    openDataColumns.join(','),
    ...rows.map((r) => openDataColumns.map((c) => cell(r[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export type TransparencyFigures = {
  year: number | null;
  years: number[];
  programs: OpenDataRow[];
  byKecamatan: Array<{
    code: string;
    name: string;
    participants: number | null;
    completed: number | null;
    equipped: number | null;
    newEntrepreneurs: number | null;
    activeAfterFollowUp: number | null;
    answered: number | null;
  }>;
  totals: {
    programs: number;
    participants: number;
    completed: number;
    equipped: number;
    aidValue: number;
    followedUp: number;
    answered: number;
    newEntrepreneurs: number;
    activeAfterFollowUp: number;
  };
};

export async function getTransparency(
  ctx: AppContext,
  year: number | undefined,
): Promise<TransparencyFigures> {
  const [recap, years] = [await getRecap(ctx, { year }), await getRecapYears(ctx)];
  const rows = openDataRows(recap);
  const kecamatan = new Map<
    string,
    { name: string; participants: number; completed: number; equipped: number }
  >();
  for (const r of recap.byProgramKecamatan) {
    const k = kecamatan.get(r.kecamatan) ?? {
      name: r.kecamatanName,
      participants: 0,
      completed: 0,
      equipped: 0,
    };
    k.participants += r.participants;
    k.completed += r.completed;
    k.equipped += r.equipped;
    kecamatan.set(r.kecamatan, k);
  }
  const outcomes = new Map(recap.outcomesByKecamatan.map((o) => [o.kecamatan, o]));
  const sum = (key: 'participants' | 'completed' | 'equipped' | 'aidValue') =>
    recap.programs.reduce((s, p) => s + p[key], 0);
  const o = recap.outcomeTotals;
  return {
    year: year ?? null,
    years,
    programs: rows.filter((r) => r.level === 'program'),
    byKecamatan: [...kecamatan.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, k]) => ({
        code,
        name: k.name,
        participants: suppressSmall(k.participants),
        completed: suppressSmall(k.completed),
        equipped: suppressSmall(k.equipped),
        newEntrepreneurs: suppressSmall(outcomes.get(code)?.newEntrepreneurs ?? 0),
        activeAfterFollowUp: suppressSmall(outcomes.get(code)?.activeAfterFollowUp ?? 0),
        answered: suppressSmall(outcomes.get(code)?.answered ?? 0),
      })),
    totals: {
      programs: recap.programs.length,
      participants: sum('participants'),
      completed: sum('completed'),
      equipped: sum('equipped'),
      aidValue: sum('aidValue'),
      followedUp: o.asked,
      answered: o.answered,
      newEntrepreneurs: o.newEntrepreneurs,
      activeAfterFollowUp: o.activeAfterFollowUp,
    },
  };
}

// The dataset's description for a CKAN-based portal (Satu Data Indonesia runs CKAN): the
// fields of `package_create`, with the DCAT-style ones (frequency, temporal and spatial
// coverage) both as top-level fields, which portals with the scheming extension read, and as
// `extras`, which every CKAN keeps.
export async function getOpenDataPackage(ctx: AppContext, baseUrl: string) {
  const settings = await getSettings(ctx);
  const years = await getRecapYears(ctx);
  const first = years.at(-1);
  const last = years[0];
  const region = ctx.regions.get(settings.regionCode)?.name ?? settings.regionCode;
  const office = settings.officeName || settings.government || 'Pulih';
  const organisationName = slug(office) || 'pulih';
  const temporal =
    first !== undefined && last !== undefined ? { start: `${first}-01-01`, end: `${last}-12-31` } : null;
  const notes =
    `Rekapitulasi program pemulihan ekonomi UMKM/IKM ${office} (${region}): pelatihan, bantuan peralatan dan promosi; ` +
    'pendaftar, peserta, lulusan, penerima bantuan, nilai bantuan, dan capaian tindak lanjut (wirausaha baru, aktif, pulih) ' +
    `per program dan per kecamatan. Tanpa data perorangan; angka 1 dan 2 disamarkan (kosong/null) agar tidak ada orang yang dapat dikenali.`;
  const extras: Record<string, string> = {
    frequency: 'monthly',
    accrual_periodicity: 'R/P1M',
    spatial: settings.regionCode,
    spatial_name: region,
    language: 'id',
    ...(temporal ? { temporal_start: temporal.start, temporal_end: temporal.end } : {}),
    suppression: `counts below ${smallCellThreshold} published as null`,
  };
  return {
    name: `${organisationName}-program-pemulihan-umkm`.slice(0, 100),
    title: `Program Pemulihan Ekonomi UMKM — ${region}`,
    notes,
    license_id: 'cc-by-4.0',
    license_title: 'Creative Commons Attribution 4.0',
    private: false,
    state: 'active',
    type: 'dataset',
    version: '1.0',
    url: `${baseUrl}/open-data`,
    author: office,
    maintainer: office,
    organization: { name: organisationName, title: office },
    owner_org: organisationName,
    tags: ['umkm', 'ikm', 'pemulihan ekonomi', 'pelatihan', 'bantuan peralatan', 'wirausaha baru'].map(
      (name) => ({
        name,
      }),
    ),
    groups: [{ name: 'ekonomi' }],
    frequency: extras.frequency,
    temporal_coverage: temporal,
    spatial: { code: settings.regionCode, name: region },
    metadata_modified: new Date().toISOString(),
    resources: [
      {
        name: 'programs.csv',
        url: `${baseUrl}/api/v1/open-data/programs.csv`,
        format: 'CSV',
        mimetype: 'text/csv',
        description:
          'Angka per program dan per program × kecamatan (satu baris per tingkat), UTF-8, pemisah koma.',
      },
      {
        name: 'programs.json',
        url: `${baseUrl}/api/v1/open-data/programs.json`,
        format: 'JSON',
        mimetype: 'application/json',
        description: 'Angka yang sama dalam JSON: {"items": [...]} dengan nama kolom yang sama dengan CSV.',
      },
      {
        name: 'Halaman transparansi',
        url: `${baseUrl}/transparansi`,
        format: 'HTML',
        mimetype: 'text/html',
        description: 'Ringkasan untuk masyarakat: program, peserta per kecamatan, bantuan dan capaian.',
      },
    ],
    extras: Object.entries(extras).map(([key, value]) => ({ key, value })),
  };
}

function slug(text: string) {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
