import type { Command } from 'commander';
import { maskNik } from '../domain/nik.ts';
import type { AppContext } from '../lib/context.ts';
import { type ExportedPair, exportCandidates, runDedupNow } from '../modules/dedup/dedup.service.ts';
import { getAdministratorActor } from '../modules/users/users.service.ts';

// `pulih dedup [--json]`: duplicate candidates among people. With --json, the shape
// {"pairs": [{"a": {"id", "nik", "ref"}, "b": {...}, "score", "reasons"}]} with full NIKs (an
// operator's tool); otherwise a table with NIKs masked. Progress goes to stderr. The command runs
// detection itself, as a run of the review queue (which it stores for the web app too), and prints
// what that run stored.
export function registerDedup(program: Command, open: () => Promise<AppContext>) {
  program
    .command('dedup')
    .description(
      'duplicate candidates among people (fuzzy: NIK typos, name variants, birth date, phone, address)',
    )
    .option('--json', 'print {"pairs": [...]} on stdout')
    .option('--data <dir>', 'PGlite data folder')
    .action(async (options: { json?: boolean; data?: string }) => {
      if (options.data) program.setOptionValue('data', options.data);
      const ctx = await open();
      try {
        const started = performance.now();
        const { pairs, text } = await dedupReport(ctx, { json: options.json === true });
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.error(`${pairs.length} candidate pairs in ${seconds} s (${ctx.database.engine})`);
        process.stdout.write(text);
      } finally {
        await ctx.database.close();
      }
    });
}

// What the command prints on stdout.
export async function dedupReport(ctx: AppContext, options: { json: boolean }) {
  // The export of personal data is logged like any other. The command has no user of its own, so
  // it is logged as the administrator's (see the report: personal_data_access allows a null
  // actor, recordPersonalDataAccess does not yet); the run it queues is the system's.
  await runDedupNow(ctx, null);
  const pairs = await exportCandidates(ctx, await getAdministratorActor(ctx.db));
  return { pairs, text: options.json ? asJson(pairs) : asTable(pairs) };
}

// One pair per line: readable, and cheap to produce for tens of thousands of pairs.
function asJson(pairs: ExportedPair[]): string {
  const side = (p: ExportedPair['a']) => ({ id: p.id, nik: p.nik, ref: p.ref });
  const lines = pairs.map((p) =>
    JSON.stringify({ a: side(p.a), b: side(p.b), score: p.score, reasons: p.reasons }),
  );
  return lines.length === 0 ? '{"pairs": []}\n' : `{"pairs": [\n${lines.join(',\n')}\n]}\n`;
}

function asTable(pairs: ExportedPair[]): string {
  if (pairs.length === 0) return 'No duplicate candidates.\n';
  const cell = (p: ExportedPair['a']) =>
    `${p.name.slice(0, 28).padEnd(28)} ${maskNik(p.nik)} ${(p.ref ?? '-').padEnd(12)}`;
  const header = `${'score'.padEnd(6)} ${'A'.padEnd(58)} ${'B'.padEnd(58)} reasons`;
  const rows = pairs.map(
    (p) => `${p.score.toFixed(2).padEnd(6)} ${cell(p.a)} ${cell(p.b)} ${p.reasons.join(', ')}`,
  );
  return `${[header, ...rows].join('\n')}\n`;
}
