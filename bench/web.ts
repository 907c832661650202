// The staff web app on a phone network: Lighthouse's mobile performance (simulated slow 4G,
// 4× CPU slowdown, a Moto G Power screen) for /login and the dashboard of a signed-in program
// officer, against the real server on 127.0.0.1 serving the built app (web/dist) over a fresh
// in-memory database with the founding scenario. Also lists every built file with its size
// raw, gzip and brotli, and the bytes each page moved. Debian's Chromium; nothing downloads a
// browser.
//
//   npm run build && npm run bench -- web [--runs 3]
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { createAppContext } from '../src/app/app-context.ts';
import { loadDemo } from '../src/cli/demo.ts';
import { openDatabase } from '../src/db/client.ts';
import { ensureAdmin } from '../src/modules/users/users.service.ts';
import { buildServer, webDist } from '../src/server.ts';
import { describeMachine } from './lib/database.ts';
import { loadAverage, median, printTable } from './lib/report.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, report: { type: 'string' } },
});
// --report <dir>: keep each run's full Lighthouse result (JSON) there, to read which audits
// cost the points.
const reportDir = values.report;
const runs = Math.max(1, Number(values.runs));
const password = 'bench-pass-123';

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// Every file the build wrote (not the precompressed copies), with its size as served.
function printBundle() {
  const rows = files(webDist)
    .filter((f) => !f.endsWith('.br') && !f.endsWith('.gz') && !f.endsWith('.map'))
    .map((f) => {
      const body = readFileSync(f);
      return {
        name: relative(webDist, f),
        raw: body.length,
        gzip: gzipSync(body, { level: 9 }).length,
        br: brotliCompressSync(body).length,
      };
    })
    .sort((a, b) => b.gzip - a.gzip);
  printTable(
    ['file', 'raw kB', 'gzip kB', 'brotli kB'],
    rows.map((r) => [r.name, kb(r.raw), kb(r.gzip), kb(r.br)]),
  );
  const js = rows.filter((r) => r.name.endsWith('.js'));
  console.log(
    `all JS: ${js.length} files, ${kb(js.reduce((n, r) => n + r.raw, 0))} kB raw, ${kb(js.reduce((n, r) => n + r.gzip, 0))} kB gzip`,
  );
}

type Figures = {
  score: number;
  fcp: number;
  lcp: number;
  tbt: number;
  si: number;
  cls: number;
  bytes: number;
  requests: number;
};

const database = openDatabase({ memory: true });
const ctx = await createAppContext(database);
await ensureAdmin(ctx.db, password);
await loadDemo(ctx, { password, businesses: 0 });
const app = await buildServer(ctx);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
const base = `http://127.0.0.1:${address.port}`;

// The dashboard needs a signed-in officer: sign in as the demo's program officer and hand
// Lighthouse the session cookie.
const login = await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'dinas', password }),
});
if (!login.ok) throw new Error(`login failed: ${login.status}`);
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

const chrome = await launch({
  chromePath: process.env.PULIH_CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

async function audit(path: string, headers: Record<string, string>): Promise<Figures> {
  const result = await lighthouse(`${base}${path}`, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance'],
    extraHeaders: headers,
  });
  if (!result) throw new Error('no Lighthouse result');
  const { lhr } = result;
  if (reportDir) {
    mkdirSync(reportDir, { recursive: true });
    const name = path === '/' ? 'dashboard' : path.replace(/\W+/g, '');
    writeFileSync(join(reportDir, `${name}-${Date.now()}.json`), JSON.stringify(lhr));
  }
  const value = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const requests =
    (lhr.audits['network-requests']?.details as { items?: unknown[] } | undefined)?.items?.length ?? 0;
  if (lhr.finalDisplayedUrl !== `${base}${path}`)
    throw new Error(`${path} ended at ${lhr.finalDisplayedUrl}`);
  return {
    score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    fcp: value('first-contentful-paint'),
    lcp: value('largest-contentful-paint'),
    tbt: value('total-blocking-time'),
    si: value('speed-index'),
    cls: value('cumulative-layout-shift'),
    bytes: value('total-byte-weight'),
    requests,
  };
}

try {
  console.log(`machine: ${await describeMachine(ctx, 'pglite')}; load average ${loadAverage()}`);
  console.log(
    `Chromium: ${chrome.process.spawnfile}; Lighthouse mobile preset, simulated throttling; ${runs} runs per page\n`,
  );
  printBundle();
  console.log('');
  const pages: [string, string, Record<string, string>][] = [
    ['/login', '/login', {}],
    ['dashboard (dinas)', '/', { cookie }],
  ];
  const rows: string[][] = [];
  for (const [name, path, headers] of pages) {
    const all: Figures[] = [];
    for (let i = 0; i < runs; i++) all.push(await audit(path, headers));
    const pick = (f: (x: Figures) => number) => median(all.map(f));
    rows.push([
      name,
      all.map((f) => f.score).join(' '),
      String(pick((f) => f.score)),
      (pick((f) => f.fcp) / 1000).toFixed(2),
      (pick((f) => f.lcp) / 1000).toFixed(2),
      String(Math.round(pick((f) => f.tbt))),
      (pick((f) => f.si) / 1000).toFixed(2),
      pick((f) => f.cls).toFixed(3),
      kb(pick((f) => f.bytes)),
      String(pick((f) => f.requests)),
    ]);
  }
  printTable(
    ['page', 'scores', 'median', 'FCP s', 'LCP s', 'TBT ms', 'SI s', 'CLS', 'transferred kB', 'requests'],
    rows,
  );
  console.log(`\nload average after: ${loadAverage()}`);
} finally {
  chrome.kill();
  await app.close();
  await database.close();
}
