// Cohort aid allocation: one POST /aid/allocations/bulk-sized action (the service call the route
// makes) giving one unit of a stock line to every one of N graduates, on each engine. Checks the
// invariants (N allocations, stock allocated = N, nothing over), and compares with an anchor
// measured in the same run on the same database: one plain INSERT of N allocation rows in one
// statement (no locks, no checks, no audit).
//
//   npm run bench -- aid-allocation --count 1000 [--engine postgres|pglite|both] [--keep]
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { createAppContext } from '../src/app/app-context.ts';
import { aidAllocations, aidStock, applications, programs } from '../src/db/schema.ts';
import { allocateToGraduates } from '../src/modules/aid/aid-ops.service.ts';
import { ensureOrganisation, ensureUser } from '../src/modules/users/users.service.ts';
import type { Actor } from '../src/policies.ts';
import { bulkBusinesses } from '../src/testing/bulk.ts';
import { closeBenchDatabase, describeMachine, type Engine, log, openBenchDatabase } from './lib/database.ts';
import { median } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    engine: { type: 'string', default: 'both' },
    rounds: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const rounds = Number(args.rounds);
if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error('--count 1..100000');
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error('--rounds 1..20');
const engines: Engine[] =
  args.engine === 'both' ? ['pglite', 'postgres'] : [args.engine === 'pglite' ? 'pglite' : 'postgres'];

async function runOn(engine: Engine) {
  const bench = await openBenchDatabase(engine, { prefix: 'pulih_bench_aid_' });
  const ctx = await createAppContext(bench.database);
  try {
    log(`machine: ${await describeMachine(ctx, engine)}`);
    const sopd = await ensureOrganisation(ctx.db, {
      code: 'bench-sopd',
      name: 'SOPD (bench)',
      kind: 'sopd',
      regionCode: '62.71',
    });
    const { user } = await ensureUser(ctx.db, {
      username: 'bench-sopd',
      displayName: 'Bench SOPD officer',
      role: 'sopd_officer',
      organisationId: sopd.id,
    });
    const actor: Actor = {
      userId: user.id,
      username: 'bench-sopd',
      role: 'sopd_officer',
      organisationId: sopd.id,
      regionCode: null,
      personId: null,
    };
    log(`registering ${count} graduates…`);
    const graduates = await bulkBusinesses(ctx.db, count);
    const [program] = await ctx.db
      .insert(programs)
      .values({
        organisationId: sopd.id,
        name: 'Pelatihan (bench)',
        type: 'training',
        capacity: count,
        selection: 'first_come',
        startDate: '2020-08-24',
        endDate: '2020-08-28',
      })
      .returning({ id: programs.id });
    const programId = program?.id ?? '';
    for (let from = 0; from < count; from += 1000) {
      await ctx.db.insert(applications).values(
        graduates.slice(from, from + 1000).map((b) => ({
          programId,
          businessId: b.id,
          status: 'completed' as const,
          source: 'officer' as const,
        })),
      );
    }

    const bulk: number[] = [];
    const anchor: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const [stock] = await ctx.db
        .insert(aidStock)
        .values({
          organisationId: sopd.id,
          budgetYear: 2021,
          item: `Mesin serut ${round}`,
          unit: 'unit',
          unitValue: 1_250_000,
          quantity: count,
          source: 'APBD',
        })
        .returning({ id: aidStock.id });
      const stockId = stock?.id ?? '';
      const t0 = performance.now();
      const result = await allocateToGraduates(ctx, actor, { stockId: stockId, programId });
      bulk.push(performance.now() - t0);
      const [after] = await ctx.db.select().from(aidStock).where(eq(aidStock.id, stockId));
      if (result.allocated !== count || result.skipped.length !== 0 || after?.allocated !== count)
        throw new Error(
          `invariant broken: ${result.allocated} allocated, stock ${after?.allocated}/${count}`,
        );

      // Anchor: the same rows, one INSERT, into a line of its own.
      const [plain] = await ctx.db
        .insert(aidStock)
        .values({
          organisationId: sopd.id,
          budgetYear: 2021,
          item: `Anchor ${round}`,
          unit: 'unit',
          unitValue: 1,
          quantity: count,
        })
        .returning({ id: aidStock.id });
      const plainId = plain?.id ?? '';
      const rows = graduates.map((b) => ({
        stockId: plainId,
        businessId: b.id,
        programId,
        quantity: 1,
        createdBy: user.id,
      }));
      const t1 = performance.now();
      await ctx.db.insert(aidAllocations).values(rows);
      anchor.push(performance.now() - t1);
    }
    const [{ n } = { n: 0 }] = await ctx.db
      .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
      .from(aidAllocations);
    if (n !== 2 * rounds * count) throw new Error(`expected ${2 * rounds * count} allocations, found ${n}`);
    const b = median(bulk);
    const a = median(anchor);
    console.log(
      `${engine}: bulk allocation to ${count} graduates ${b.toFixed(0)} ms (median of ${rounds}; ${(count / (b / 1000)).toFixed(0)} graduates/s); ` +
        `anchor INSERT of ${count} rows ${a.toFixed(0)} ms; ratio ${(b / a).toFixed(1)}×`,
    );
  } finally {
    await closeBenchDatabase(bench, args.keep);
  }
}

for (const engine of engines) await runOn(engine);
