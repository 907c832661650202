// The staff web app on a phone network: Lighthouse's mobile performance (simulated slow 4G,
// 4× CPU slowdown, a Moto G Power screen) for /login and the dashboard of a signed-in program
// officer, against the real server on 127.0.0.1 serving the built app (web/dist) over a fresh
// in-memory database with the founding scenario. Also lists every built file with its size
// raw, gzip and brotli, and the bytes each page moved. Debian's Chromium; nothing downloads a
// browser.
//
//   npm run build && npm run bench -- web [--runs 3] [--cpu-slowdown N]
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
  options: {
    runs: { type: 'string', default: '3' },
    report: { type: 'string' },
    'cpu-slowdown': { type: 'string' },
  },
});
// --cpu-slowdown N: the preset's network (slow 4G) with N in place of its 4× CPU slowdown. The
// 4× assumes a host with a CPU index (benchmarkIndex) of 1500-2000; Lighthouse's throttling
// guide gives 1× for a host of 750-1000 and none below, where the host is already slower
// than the phone the preset models. A run with it is NOT the issue's figure (that is the
// preset, the default): it tells how much of a score is the page and how much the host's load.
const cpuSlowdown = values['cpu-slowdown'] === undefined ? undefined : Number(values['cpu-slowdown']);
// Lighthouse 12's mobile preset (mobileSlow4G), all but the CPU multiplier.
const slow4G = {
  rttMs: 150,
  throughputKbps: 1.6 * 1024,
  requestLatencyMs: 150 * 3.75,
  downloadThroughputKbps: 1.6 * 1024 * 0.9,
  uploadThroughputKbps: 750 * 0.9,
};
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
  // The entry: the script index.html runs itself (not the bundler's few-hundred-byte runtime).
  const html = readFileSync(join(webDist, 'index.html'), 'utf8');
  const entry = rows.find((r) => r.name === /src="\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1]);
  if (entry) console.log(`entry chunk: ${entry.name}, ${kb(entry.gzip)} kB gzip (target ≤ 200 kB)`);
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
  // Lighthouse's measure of this machine's CPU at the time (a high-end desktop: 1500-2000; the
  // default 4× slowdown assumes one). On a shared, loaded machine it falls, and TBT rises.
  benchmarkIndex: number;
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

// The dashboard needs a signed-in officer: sign in as the demo's program officer and put the
// session cookie in the browser's jar (an extra request header would lose to the jar as soon as
// the page sets a cookie of its own, such as the language).
const login = await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'dinas', password }),
});
if (!login.ok) throw new Error(`login failed: ${login.status}`);
const sessionCookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

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

// Chromium's DevTools protocol, one command on the browser target (Node's own WebSocket).
async function browserCommand(method: string, params: object): Promise<void> {
  const version = (await (await fetch(`http://127.0.0.1:${chrome.port}/json/version`)).json()) as {
    webSocketDebuggerUrl: string;
  };
  const socket = new WebSocket(version.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const answer = new Promise<void>((resolve, reject) => {
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; error?: { message: string } };
      if (message.id !== 1) return;
      if (message.error) reject(new Error(message.error.message));
      else resolve();
    };
  });
  socket.send(JSON.stringify({ id: 1, method, params }));
  try {
    await answer;
  } finally {
    socket.close();
  }
}

async function setSession(signedIn: boolean) {
  const [name = '', value = ''] = sessionCookie.split('=');
  await browserCommand(signedIn ? 'Storage.setCookies' : 'Storage.clearCookies', {
    ...(signedIn ? { cookies: [{ name, value, domain: '127.0.0.1', path: '/', httpOnly: true }] } : {}),
  });
}

async function audit(path: string, signedIn: boolean, attempt = 1): Promise<Figures> {
  await setSession(signedIn);
  const result = await lighthouse(`${base}${path}`, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance'],
    ...(cpuSlowdown === undefined ? {} : { throttling: { ...slow4G, cpuSlowdownMultiplier: cpuSlowdown } }),
  });
  if (!result) throw new Error('no Lighthouse result');
  const { lhr } = result;
  // Now and then Chromium's trace of a load comes without its start (NO_NAVSTART): a run with no
  // figures at all, which would count as a score of 0 in the median. Run it again.
  if (lhr.runtimeError) {
    if (attempt >= 3) throw new Error(`${path}: ${lhr.runtimeError.code} three times`);
    console.log(`${path}: ${lhr.runtimeError.code}, run again`);
    return audit(path, signedIn, attempt + 1);
  }
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
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

try {
  console.log(`machine: ${await describeMachine(ctx, 'pglite')}; load average ${loadAverage()}`);
  console.log(
    `Chromium: ${chrome.process.spawnfile}; Lighthouse mobile preset, simulated throttling${cpuSlowdown === undefined ? '' : ` with a ${cpuSlowdown}× CPU slowdown instead of 4× (not the preset's score)`}; ${runs} runs per page\n`,
  );
  printBundle();
  console.log('');
  const pages: [string, string, boolean][] = [
    ['/login', '/login', false],
    ['dashboard (dinas)', '/', true],
  ];
  const rows: string[][] = [];
  for (const [name, path, signedIn] of pages) {
    const all: Figures[] = [];
    for (let i = 0; i < runs; i++) all.push(await audit(path, signedIn));
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
      String(Math.round(pick((f) => f.benchmarkIndex))),
    ]);
  }
  printTable(
    [
      'page',
      'scores',
      'median',
      'FCP s',
      'LCP s',
      'TBT ms',
      'SI s',
      'CLS',
      'transferred kB',
      'requests',
      'CPU index',
    ],
    rows,
  );
  console.log(`\nload average after: ${loadAverage()}`);
} finally {
  chrome.kill();
  await app.close();
  await database.close();
}
