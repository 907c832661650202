import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { webDist } from '../../src/server.ts';
import { type Running, startServer } from './helpers.ts';

// How the built app reaches a phone: compressed copies made at build time, hashed files kept
// for a year, the page and the service worker checked every time.

let server: Running;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const entry = () => {
  const name = /src="\/assets\/(index-[^"]+\.js)"/.exec(
    readFileSync(resolve(webDist, 'index.html'), 'utf8'),
  )?.[1];
  if (!name) throw new Error('no entry script in index.html');
  return name;
};

// node:http, not fetch: fetch decompresses the body, and the bytes on the wire are the point.
function get(path: string, encoding: string, cookie?: string) {
  return new Promise<{ response: { status: number; headers: Headers }; body: Buffer }>((done, fail) => {
    const headers: Record<string, string> = { 'accept-encoding': encoding };
    if (cookie) headers.cookie = cookie;
    request(`${server.baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        done({ response: { status: res.statusCode ?? 0, headers }, body: Buffer.concat(chunks) });
      });
      res.on('error', fail);
    })
      .on('error', fail)
      .end();
  });
}

describe('the built app as served', () => {
  test('a hashed script comes as brotli or gzip as asked, the same bytes, kept for a year', async () => {
    const name = entry();
    const original = readFileSync(resolve(webDist, 'assets', name));
    const br = await get(`/assets/${name}`, 'br, gzip');
    expect(br.response.headers.get('content-encoding')).toBe('br');
    expect(br.response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.response.headers.get('vary')?.toLowerCase()).toContain('accept-encoding');
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
    expect(br.body.length).toBeLessThan(original.length / 3);

    const gz = await get(`/assets/${name}`, 'gzip');
    expect(gz.response.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.body).equals(original)).toBe(true);

    const plain = await get(`/assets/${name}`, 'identity');
    expect(plain.response.headers.get('content-encoding')).toBeNull();
    expect(plain.body.equals(original)).toBe(true);
  });

  test('every script and stylesheet of the build has its compressed copies', () => {
    const assets = readdirSync(resolve(webDist, 'assets'));
    const big = assets.filter(
      (f) => /\.(js|css)$/.test(f) && readFileSync(resolve(webDist, 'assets', f)).length >= 1024,
    );
    expect(big.length).toBeGreaterThan(10);
    for (const f of big)
      expect([f, assets.includes(`${f}.br`), assets.includes(`${f}.gz`)]).toEqual([f, true, true]);
  });

  test('the page, the service worker and the icon are checked with the server each time', async () => {
    for (const path of ['/', '/index.html', '/programs', '/sw.js', '/favicon.svg']) {
      const { response } = await get(path, 'br, gzip');
      expect([path, response.status, response.headers.get('cache-control')]).toEqual([path, 200, 'no-cache']);
    }
  });

  test('the page for an address preloads the code of its screen and the strings of the chosen language', async () => {
    const listed = JSON.parse(readFileSync(resolve(webDist, 'preload.json'), 'utf8')) as Record<
      string,
      string[]
    >;
    // As <link rel="modulepreload">, or, on the page of a screen drawn by the server, in the
    // boot script's list (it preloads them once the screen is painted).
    const preloads = (html: string) => [
      ...[...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map((m) => m[1]),
      ...(/data-preload="([^"]*)"/.exec(html)?.[1]?.split(' ').filter(Boolean) ?? []),
    ];

    const login = preloads((await get('/login', 'identity')).body.toString());
    expect(login.some((f) => /\/LoginPage-[\w-]+\.js$/.test(f ?? ''))).toBe(true);
    expect(login).toEqual(expect.arrayContaining(listed['locale:id'] ?? ['missing']));
    expect(login.some((f) => /\/Layout-/.test(f ?? ''))).toBe(false);

    const dashboard = preloads((await get('/', 'identity', 'pulih_lang=en')).body.toString());
    expect(dashboard.some((f) => /\/DashboardPage-[\w-]+\.js$/.test(f ?? ''))).toBe(true);
    expect(dashboard.some((f) => /\/Layout-[\w-]+\.js$/.test(f ?? ''))).toBe(true);
    expect(dashboard).toEqual(expect.arrayContaining(listed['locale:en'] ?? ['missing']));
    expect(dashboard.some((f) => (listed['locale:id'] ?? []).includes(f ?? ''))).toBe(false);

    // Every file named is one the server has, kept for a year like any hashed file.
    for (const file of new Set([...login, ...dashboard])) {
      const { response } = await get(file ?? '', 'br');
      expect([file, response.status, response.headers.get('cache-control')]).toEqual([
        file,
        200,
        'public, max-age=31536000, immutable',
      ]);
    }
  });

  test('the entry script is within 200 kB gzipped', () => {
    const gz = readFileSync(resolve(webDist, 'assets', `${entry()}.gz`));
    expect(gz.length).toBeLessThanOrEqual(200_000);
  });
});
