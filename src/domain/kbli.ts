export type KbliVersion = 2020 | 2025;

export type KbliEntry = {
  code: string;
  version: KbliVersion;
  title: string;
  sector: string;
  // The code for the same activity in the other version, when a mapping is known.
  counterpart: string | null;
};

export type KbliRow = {
  code_kbli2020: string;
  title_kbli2020: string;
  code_kbli2025: string;
  title_kbli2025: string;
  sector: string;
};

export type KbliIndex = {
  get(code: string, version?: KbliVersion): KbliEntry | undefined;
  isKnown(code: string, version?: KbliVersion): boolean;
  normalize(input: string): string | null;
  list(version?: KbliVersion): KbliEntry[];
};

export function normalizeKbli(input: string): string | null {
  const compact = input
    .trim()
    .replace(/^kbli\s*(20(20|25))?\s*:?\s*/i, '')
    .replace(/[\s.-]/g, '');
  return /^\d{5}$/.test(compact) ? compact : null;
}

function entriesOf(row: KbliRow): KbliEntry[] {
  const code2020 = normalizeKbli(row.code_kbli2020 ?? '');
  const code2025 = normalizeKbli(row.code_kbli2025 ?? '');
  const sector = (row.sector ?? '').trim();
  const entries: KbliEntry[] = [];
  if (code2020) {
    entries.push({
      code: code2020,
      version: 2020,
      title: row.title_kbli2020.trim(),
      sector,
      counterpart: code2025,
    });
  }
  if (code2025) {
    entries.push({
      code: code2025,
      version: 2025,
      title: row.title_kbli2025.trim(),
      sector,
      counterpart: code2020,
    });
  }
  return entries;
}

export function createKbliIndex(rows: readonly KbliRow[]): KbliIndex {
  const byVersion: Record<KbliVersion, Map<string, KbliEntry>> = { 2020: new Map(), 2025: new Map() };
  for (const entry of rows.flatMap(entriesOf)) byVersion[entry.version].set(entry.code, entry);

  // Most registrations (OSS, NIB) still carry KBLI 2020 codes, so an unversioned lookup tries it first.
  const get = (code: string, version?: KbliVersion) => {
    const normalized = normalizeKbli(code);
    if (!normalized) return undefined;
    if (version) return byVersion[version].get(normalized);
    return byVersion[2020].get(normalized) ?? byVersion[2025].get(normalized);
  };

  return {
    get,
    isKnown: (code, version) => get(code, version) !== undefined,
    normalize: normalizeKbli,
    list: (version) =>
      version ? [...byVersion[version].values()] : [...byVersion[2020].values(), ...byVersion[2025].values()],
  };
}
