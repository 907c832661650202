// The public pages a buyer opens from a search engine or a WhatsApp link, on a phone:
// Lighthouse's mobile preset (simulated slow 4G, 4× CPU slowdown, a Moto G Power screen), all
// four categories, for /katalog, a product page and a storefront (/toko/{slug}), against the
// real server on 127.0.0.1 over a fresh in-memory database with the demo's catalogue (the
// pages are found through /sitemap.xml, as a search engine finds them). Debian's Chromium;
// nothing downloads a browser. The targets: performance ≥ 95, accessibility 100, best
// practices 100, SEO ≥ 95.
//
//   npm run build && npm run bench -- public-pages [--runs 3] [--report DIR]
//
// Without the build the app's icon (/favicon.svg) is missing, the browser logs its 404, and
// best practices loses a few points that a real install does not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { createAppContext } from '../src/app/app-context.ts';
import { loadDemo } from '../src/cli/demo.ts';
import { openDatabase } from '../src/db/client.ts';
import { ensureAdmin } from '../src/modules/users/users.service.ts';
import { buildServer } from '../src/server.ts';
import { describeMachine } from './lib/database.ts';
import { loadAverage, median, printTable } from './lib/report.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, report: { type: 'string' } },
});
// --report <dir>: keep each run's full Lighthouse result (JSON), to read which audits cost.
const reportDir = values.report;
const runs = Math.max(1, Number(values.runs));

type Figures = {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
  bytes: number;
  dom: number;
  // Lighthouse's measure of this machine's CPU at the time (a high-end desktop: 1500-2000; the
  // 4× slowdown assumes one). On a shared, loaded machine it falls, and TBT rises.
  benchmarkIndex: number;
};

const database = openDatabase({ memory: true });
const ctx = await createAppContext(database);
await ensureAdmin(ctx.db, 'bench-pass-123');
await loadDemo(ctx, { password: 'bench-pass-123', businesses: 0 });
const app = await buildServer(ctx);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
const base = `http://127.0.0.1:${address.port}`;

// The first product page and the first storefront the sitemap lists.
const sitemap = await (await fetch(`${base}/sitemap.xml`)).text();
const pathOf = (pattern: RegExp) => {
  const found = pattern.exec(sitemap)?.[1];
  if (!found) throw new Error(`the sitemap lists no ${pattern}`);
  return new URL(found).pathname;
};
const pages: [string, string][] = [
  ['/katalog', '/katalog'],
  ['a product page', pathOf(/<loc>([^<]*\/katalog\/[0-9a-f-]{36})<\/loc>/)],
  ['a storefront', pathOf(/<loc>([^<]*\/toko\/[^<]+)<\/loc>/)],
];

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

async function audit(path: string): Promise<Figures> {
  const result = await lighthouse(`${base}${path}`, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
  });
  if (!result) throw new Error('no Lighthouse result');
  const { lhr } = result;
  if (reportDir) {
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(join(reportDir, `${path.replace(/\W+/g, '_')}-${Date.now()}.json`), JSON.stringify(lhr));
  }
  const value = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    fcp: value('first-contentful-paint'),
    lcp: value('largest-contentful-paint'),
    tbt: value('total-blocking-time'),
    cls: value('cumulative-layout-shift'),
    bytes: value('total-byte-weight'),
    dom: value('dom-size'),
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

try {
  console.log(`machine: ${await describeMachine(ctx, 'pglite')}; load average ${loadAverage()}`);
  console.log(`Chromium: ${chrome.process.spawnfile}; Lighthouse mobile preset, simulated throttling`);
  console.log(`${runs} runs per page; the median of each figure\n`);
  const rows: string[][] = [];
  for (const [name, path] of pages) {
    const all: Figures[] = [];
    for (let i = 0; i < runs; i++) all.push(await audit(path));
    const pick = (f: (x: Figures) => number) => median(all.map(f));
    rows.push([
      name,
      all.map((f) => f.performance).join(' '),
      String(pick((f) => f.performance)),
      String(pick((f) => f.accessibility)),
      String(pick((f) => f.bestPractices)),
      String(pick((f) => f.seo)),
      (pick((f) => f.fcp) / 1000).toFixed(2),
      (pick((f) => f.lcp) / 1000).toFixed(2),
      String(Math.round(pick((f) => f.tbt))),
      pick((f) => f.cls).toFixed(3),
      (pick((f) => f.bytes) / 1000).toFixed(1),
      String(pick((f) => f.dom)),
      all.map((f) => Math.round(f.benchmarkIndex)).join(' '),
    ]);
  }
  printTable(
    [
      'page',
      'performance runs',
      'perf',
      'a11y',
      'best pr.',
      'SEO',
      'FCP s',
      'LCP s',
      'TBT ms',
      'CLS',
      'kB',
      'DOM nodes',
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
