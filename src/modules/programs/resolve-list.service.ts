// A list of NIKs or business refs (an uploaded column or pasted lines) resolved to the
// businesses they name within the actor's reach, before a bulk enrolment. A NIK is never echoed
// back in full, and a line that names nothing within reach is "not_found" whether or not it
// exists elsewhere.

import { registryScope } from '../../access/access.service.ts';
import { maskNik } from '../../domain/nik.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import { findBusinessesByNikOrRef, getProgram } from './programs.queries.ts';
import type { ResolvedLine } from './programs.schema.ts';

const nikPattern = /^\d{16}$/;

// A cell as people type or export it: spaces, dots and dashes inside a NIK, quotes around it.
function keyOf(line: string): { kind: 'nik' | 'ref'; value: string } | null {
  const trimmed = line
    .trim()
    .replace(/^["']|["']$/g, '')
    .trim();
  if (trimmed === '') return null;
  const digits = trimmed.replace(/[\s.-]/g, '');
  if (nikPattern.test(digits)) return { kind: 'nik', value: digits };
  return { kind: 'ref', value: trimmed };
}

export async function resolveList(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  lines: readonly string[],
): Promise<{ items: ResolvedLine[] }> {
  (await getProgram(ctx.db, programId)) ?? fail('not_found');
  const keys = lines.map(keyOf);
  const niks = [...new Set(keys.filter((k) => k?.kind === 'nik').map((k) => k!.value))];
  const refs = [...new Set(keys.filter((k) => k?.kind === 'ref').map((k) => k!.value))];
  const found = await findBusinessesByNikOrRef(ctx.db, { niks, refs }, registryScope(actor));
  const items: ResolvedLine[] = [];
  for (const [i, key] of keys.entries()) {
    if (!key) continue;
    const shown = key.kind === 'nik' ? maskNik(key.value) : key.value;
    const matches = found.filter((b) => (key.kind === 'nik' ? b.nik === key.value : b.ref === key.value));
    if (matches.length === 0) {
      items.push({ line: i + 1, input: shown, kind: key.kind, status: 'not_found' });
      continue;
    }
    for (const b of matches)
      items.push({
        line: i + 1,
        input: shown,
        kind: key.kind,
        status: 'found',
        businessId: b.businessId,
        businessName: b.name,
        ownerName: b.ownerName,
        kecamatanName: ctx.regions.get(b.kecamatanCode)?.name ?? null,
      });
  }
  return { items };
}
