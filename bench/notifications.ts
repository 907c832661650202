// The notifications outbox under volume: N messages queued through the outbox's own enqueue
// (in transactions of 1,000, as a selection run would), then sent by the worker's sender
// against a fake WhatsApp Cloud API on 127.0.0.1; then M more while the channel answers 500
// for a while (default a minute), until the outbox drains. Checks that nothing is lost and
// nothing is sent twice (the fake counts what it received per outbox row, i.e. per dedupe
// key). Anchor, measured in the same run: the same N requests sent straight to the fake at
// the same concurrency (the fake's own throughput); the ratio is sender / anchor.
//
//   npm run bench -- notifications --count 100000 [--outage 60] [--outage-count 10000]
//     [--concurrency 16] [--engine postgres|pglite] [--keep]
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createAppContext } from '../src/app/app-context.ts';
import { queryRows } from '../src/db/sql-rows.ts';
import { overrideChannelConfig } from '../src/modules/notifications/notifications.config.ts';
import { closeMailTransports } from '../src/modules/notifications/notifications.senders.ts';
import {
  enqueueTargets,
  type NotificationTarget,
  sendDueNotifications,
} from '../src/modules/notifications/notifications.service.ts';
import { startFakeHttpProvider } from '../src/testing/fake-providers.ts';
import { closeBenchDatabase, describeMachine, engineOf, log, openBenchDatabase } from './lib/database.ts';
import { loadAverage, printTable } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    outage: { type: 'string', default: '60' },
    'outage-count': { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    engine: { type: 'string', default: 'postgres' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const outageSeconds = Number(args.outage);
const outageCount = Number(args['outage-count']);
const concurrency = Number(args.concurrency);
const engine = engineOf(args.engine);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error('--count 1..1000000');

const bench = await openBenchDatabase(engine, { prefix: 'pulih_bench_notify_', pool: concurrency + 4 });
const ctx = await createAppContext(bench.database);
const fake = await startFakeHttpProvider('whatsapp');
const restore = overrideChannelConfig({
  whatsapp: { url: fake.url, token: 'bench', phoneNumberId: '1055', appSecret: null, verifyToken: null },
  ratePerSecond: { whatsapp: 1_000_000, sms: 1, email: 1 },
  maxAttempts: 20,
});

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

async function enqueue(prefix: string, n: number) {
  const start = process.hrtime.bigint();
  for (let from = 0; from < n; from += 1000) {
    const targets: NotificationTarget[] = Array.from({ length: Math.min(1000, n - from) }, (_, k) => {
      const i = from + k;
      return {
        eventKey: `${prefix}:${i}`,
        template: 'enrolled',
        variables: {
          name: `Peserta ${i}`,
          program: 'Pelatihan Anyaman Rotan',
          link: `https://pulih.example/status/${i}`,
        },
        personId: null,
        phone: `+62813${String(10_000_000 + i).slice(-8)}`,
        consentGiven: true,
      };
    });
    await ctx.db.transaction((tx) => enqueueTargets(tx, targets));
  }
  return seconds(start);
}

async function drain(onRound?: () => void) {
  const start = process.hrtime.bigint();
  let rounds = 0;
  for (;;) {
    onRound?.();
    const round = await sendDueNotifications(ctx, { limit: 2000, concurrency, retryBaseMs: 2000 });
    rounds++;
    if (round.claimed > 0) continue;
    const [left] = await queryRows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from notification_outbox where status = 'queued'`,
    );
    if (!left || left.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { seconds: seconds(start), rounds };
}

async function anchor(n: number) {
  const before = fake.received.length;
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const res = await fetch(`${fake.url}/1055/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: `62813${String(10_000_000 + i).slice(-8)}`,
          type: 'template',
          template: {
            name: 'pulih_enrolled',
            language: { code: 'id' },
            components: [{ type: 'body', parameters: [{ type: 'text', text: `Peserta ${i}` }] }],
          },
        }),
      });
      await res.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const took = seconds(start);
  fake.received.splice(before);
  return took;
}

try {
  log(`machine: ${await describeMachine(ctx, engine)}; load ${loadAverage()}`);
  // The anchor first, on a quiet fake.
  const anchorSeconds = await anchor(count);
  log(`anchor: ${count} requests straight to the fake in ${anchorSeconds.toFixed(1)} s`);

  const enqueueSeconds = await enqueue('bench', count);
  log(`queued ${count} in ${enqueueSeconds.toFixed(1)} s`);
  const healthy = await drain();
  log(`sent ${count} in ${healthy.seconds.toFixed(1)} s (${healthy.rounds} rounds)`);

  // The outage: the channel answers 500 for `outage` seconds, then recovers.
  fake.received.length = 0;
  const outageQueued = await enqueue('outage', outageCount);
  fake.setDown(true);
  const downAt = Date.now();
  let up = false;
  const outage = await drain(() => {
    if (!up && Date.now() - downAt >= outageSeconds * 1000) {
      fake.setDown(false);
      up = true;
    }
  });
  const [stats] = await queryRows<{
    sent: number;
    failed: number;
    queued: number;
    attempts: number;
    max_attempts: number;
  }>(
    ctx.db,
    sql`select count(*) filter (where status = 'sent')::int as sent,
               count(*) filter (where status = 'failed')::int as failed,
               count(*) filter (where status = 'queued')::int as queued,
               coalesce(sum(attempts), 0)::int as attempts,
               coalesce(max(attempts), 0)::int as max_attempts
        from notification_outbox where event_key like 'outage:%'`,
  );
  const perRow = new Map<string, number>();
  for (const r of fake.received) {
    const id = String(r.body.biz_opaque_callback_data);
    perRow.set(id, (perRow.get(id) ?? 0) + 1);
  }
  const twice = [...perRow.values()].filter((n) => n > 1).length;
  const lost = outageCount - perRow.size;

  const rate = count / healthy.seconds;
  const anchorRate = count / anchorSeconds;
  printTable(
    ['figure', 'value'],
    [
      ['messages (healthy run)', String(count)],
      ['enqueue, messages/s', (count / enqueueSeconds).toFixed(0)],
      ['sender, messages/s', rate.toFixed(0)],
      ['anchor: fake direct, requests/s', anchorRate.toFixed(0)],
      ['ratio sender / anchor', (rate / anchorRate).toFixed(2)],
      [`outage: messages queued (${outageSeconds} s of 500s)`, String(outageQueued > 0 ? outageCount : 0)],
      ['outage: drained after, s', outage.seconds.toFixed(1)],
      ['outage: sent / failed / still queued', `${stats?.sent} / ${stats?.failed} / ${stats?.queued}`],
      ['outage: attempts in all (max per message)', `${stats?.attempts} (${stats?.max_attempts})`],
      ['outage: received by the fake, distinct keys', String(perRow.size)],
      ['outage: lost / sent twice', `${lost} / ${twice}`],
      ['load average', loadAverage()],
    ],
  );
  if (lost !== 0 || twice !== 0 || stats?.failed !== 0) {
    log('INVARIANT BROKEN: a message was lost, failed or sent twice');
    process.exitCode = 1;
  }
} finally {
  restore();
  closeMailTransports();
  await fake.close();
  await closeBenchDatabase(bench, args.keep);
}
