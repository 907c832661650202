import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { pickEncoding } from './public-page.tsx';

// The files of the web app's start screens that index.html does not load itself, by screen,
// as the build lists them in dist/preload.json (web/start-preload.ts).
type StartPreloads = {
  login: string[];
  frame: string[];
  dashboard: string[];
  'locale:id': string[];
  'locale:en': string[];
};

// The language the web app last chose (web/src/lib/i18n.ts sets it); Indonesian without one.
export const languageCookie = 'pulih_lang';

type Screen = 'login' | 'dashboard' | 'other';

function screenOf(path: string): Screen {
  if (path === '/login') return 'login';
  if (path === '/') return 'dashboard';
  return 'other';
}

// The screens the build drew ahead of time, by address and language, and the script that
// loads the app once such a screen is painted (web/prerender.ts).
type Prerendered = { boot?: string; screens?: Record<string, Partial<Record<'id' | 'en', string>>> };

export type StartPage = { body: string | Buffer; encoding: 'br' | 'gzip' | null };

// The page the server sends for an address of the web app: index.html with
// <link rel="modulepreload"> for the code and strings of the screen that address opens, so a
// phone fetches them alongside the entry script instead of after it has run, and, for the
// sign-in screen, that screen already drawn inside <div id="root"> in the visitor's language,
// so the phone draws the form without waiting for the JavaScript (which then takes the markup
// over). Each page is compressed once, at start-up. The dashboard, which needs the visitor's own
// figures, is drawn per request (`drawn`). Without preload.json (an older build) the page is
// index.html as it is.
export function startPages(webDist: string): StartPages {
  const html = readFileSync(resolve(webDist, 'index.html'), 'utf8');
  const listed = resolve(webDist, 'preload.json');
  if (!existsSync(listed))
    return Object.assign(() => ({ body: html, encoding: null }), { drawn: async () => null, warm: () => {} });
  const preloads = JSON.parse(readFileSync(listed, 'utf8')) as StartPreloads;
  const drawnFile = resolve(webDist, 'prerender.json');
  const drawn: Prerendered = existsSync(drawnFile) ? JSON.parse(readFileSync(drawnFile, 'utf8')) : {};
  const page = (files: string[], path: string, language: 'id' | 'en', drawnPerRequest = false) => {
    const preload = [...new Set(files)].filter((f) => /^\/assets\/[\w.-]+\.js$/.test(f));
    const screen = drawnPerRequest ? '' : drawn.screens?.[path]?.[language];
    let text: string;
    if ((screen || drawnPerRequest) && drawn.boot) {
      // The app's scripts are started by the boot script once the drawn screen is painted.
      const modules: string[] = [];
      const withoutScripts = html.replace(
        /\n\s*<script type="module" crossorigin src="([^"]+)"><\/script>/g,
        (_tag, src) => {
          modules.push(src);
          return '';
        },
      );
      // Both drawn screens work without the app (the sign-in form posts to the server; the
      // dashboard's links are links and the boot script works its menu): the app runs at the
      // visitor's first touch, or once the page has stayed idle (web/prerender.ts).
      const bootTag = `    <script defer src="${drawn.boot}" data-modules="${modules.join(' ')}" data-preload="${preload.join(' ')}" data-start="touch"></script>`;
      text = withoutScripts.replace(/\n\s*<\/head>/, (end) => `\n${bootTag}${end}`);
      if (screen)
        text = text.replace(
          '<div id="root"></div>',
          () => `<div id="root" data-prerendered="${path}" data-lang="${language}">${screen}</div>`,
        );
    } else {
      const links = preload.map((f) => `    <link rel="modulepreload" crossorigin href="${f}">\n`).join('');
      text = html.replace(/\n\s*<\/head>/, (end) => `\n${links.trimEnd()}${end}`);
    }
    return {
      text,
      br: brotliCompressSync(text, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
      gzip: gzipSync(text, { level: 9 }),
    };
  };
  const pages = new Map<string, ReturnType<typeof page>>();
  for (const language of ['id', 'en'] as const) {
    const strings = preloads[`locale:${language}`];
    const dashboard = [...preloads.frame, ...preloads.dashboard, ...strings];
    pages.set(`login:${language}`, page([...preloads.login, ...strings], '/login', language));
    pages.set(`dashboard:${language}`, page(dashboard, '/', language));
    pages.set(`drawn-dashboard:${language}`, page(dashboard, '/', language, true));
    pages.set(`other:${language}`, page([...preloads.frame, ...strings], '', language));
  }
  const pageFor = ((path, language, acceptEncoding) => {
    const key = `${screenOf(path)}:${language === 'en' ? 'en' : 'id'}`;
    const chosen = pages.get(key);
    if (!chosen) return { body: html, encoding: null };
    const encoding = pickEncoding(acceptEncoding, chosen.text.length);
    return { body: encoding ? chosen[encoding] : chosen.text, encoding };
  }) as StartPages;
  const drawer = drawnScreens(webDist);
  pageFor.drawn = async (path, language, acceptEncoding, get) => {
    const lang = language === 'en' ? 'en' : 'id';
    const template = pages.get(`drawn-dashboard:${lang}`)?.text;
    if (screenOf(path) !== 'dashboard' || !template || !drawn.boot || !drawer) return null;
    const ssr = await drawer.load();
    const result = await ssr.drawDashboard(lang, get);
    if (!result) return null;
    // `<` escaped: the data block cannot be ended early by a string inside it (`</script>`).
    const data = JSON.stringify(result.seeds).replace(/</g, '\\u003c');
    const text = template.replace(
      '<div id="root"></div>',
      () =>
        `<div id="root" data-prerendered="/" data-lang="${lang}">${result.html}</div>\n` +
        `    <script type="application/json" id="${seedElementId}">${data}</script>`,
    );
    const encoding = pickEncoding(acceptEncoding, text.length);
    // Per request: the quick levels the public pages use (src/lib/public-page.tsx), not the
    // highest ones the pages compressed once at start-up get.
    const body =
      encoding === 'br'
        ? brotliCompressSync(text, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } })
        : encoding === 'gzip'
          ? gzipSync(text, { level: 6 })
          : text;
    return { body, encoding };
  };
  pageFor.warm = () =>
    void drawer
      ?.load()
      .then((ssr) => ssr.warm())
      .catch(() => undefined);
  return pageFor;
}

// What the server's bundle of web/src/ssr.tsx offers (typed here: the server's type check does
// not take in the web app).
type SsrModule = {
  drawDashboard: (
    lang: 'id' | 'en',
    get: (path: string) => Promise<unknown>,
  ) => Promise<{ html: string; seeds: unknown[] } | null>;
  warm: () => Promise<void>;
};

// The id of the page's data block, which the app reads its first answers from
// (web/src/lib/seed.ts, seedElementId).
const seedElementId = 'pulih-data';

export type StartPages = {
  (path: string, language: string | undefined, acceptEncoding: string | string[] | undefined): StartPage;
  // The page with the screen drawn for this visitor from their own API answers (`get`), or null
  // where the app draws it itself (no such screen at this address, nobody signed in, an older
  // build without the server's bundle).
  drawn: (
    path: string,
    language: string | undefined,
    acceptEncoding: string | string[] | undefined,
    get: (path: string) => Promise<unknown>,
  ) => Promise<StartPage | null>;
  // Loads the server's bundle and what its first page needs, ahead of the first visitor.
  warm: () => void;
};

// The build's bundle of web/src/ssr.tsx (web/prerender.ts), loaded on first use: a process that
// never serves the dashboard (a test's, the CLI's) does not pay for React and Mantine in Node.
function drawnScreens(webDist: string): { load: () => Promise<SsrModule> } | null {
  const file = resolve(webDist, '..', 'dist-ssr', 'ssr.js');
  if (!existsSync(file)) return null;
  let loading: Promise<SsrModule> | null = null;
  return {
    load: () => {
      loading ??= import(pathToFileURL(file).href) as Promise<SsrModule>;
      return loading;
    },
  };
}
