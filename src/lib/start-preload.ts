import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
// over). Each page is compressed once, at start-up. Without preload.json (an older build) the
// page is index.html as it is.
export function startPages(
  webDist: string,
): (path: string, language: string | undefined, acceptEncoding: string | string[] | undefined) => StartPage {
  const html = readFileSync(resolve(webDist, 'index.html'), 'utf8');
  const listed = resolve(webDist, 'preload.json');
  if (!existsSync(listed)) return () => ({ body: html, encoding: null });
  const preloads = JSON.parse(readFileSync(listed, 'utf8')) as StartPreloads;
  const drawnFile = resolve(webDist, 'prerender.json');
  const drawn: Prerendered = existsSync(drawnFile) ? JSON.parse(readFileSync(drawnFile, 'utf8')) : {};
  const page = (files: string[], path: string, language: 'id' | 'en') => {
    const preload = [...new Set(files)].filter((f) => /^\/assets\/[\w.-]+\.js$/.test(f));
    const screen = drawn.screens?.[path]?.[language];
    let text: string;
    if (screen && drawn.boot) {
      // The app's scripts are started by the boot script once the drawn screen is painted.
      const modules: string[] = [];
      const withoutScripts = html.replace(
        /\n\s*<script type="module" crossorigin src="([^"]+)"><\/script>/g,
        (_tag, src) => {
          modules.push(src);
          return '';
        },
      );
      const bootTag = `    <script defer src="${drawn.boot}" data-modules="${modules.join(' ')}" data-preload="${preload.join(' ')}"></script>`;
      text = withoutScripts
        .replace(/\n\s*<\/head>/, (end) => `\n${bootTag}${end}`)
        .replace(
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
    pages.set(`login:${language}`, page([...preloads.login, ...strings], '/login', language));
    pages.set(
      `dashboard:${language}`,
      page([...preloads.frame, ...preloads.dashboard, ...strings], '/', language),
    );
    pages.set(`other:${language}`, page([...preloads.frame, ...strings], '', language));
  }
  return (path, language, acceptEncoding) => {
    const key = `${screenOf(path)}:${language === 'en' ? 'en' : 'id'}`;
    const chosen = pages.get(key);
    if (!chosen) return { body: html, encoding: null };
    const encoding = pickEncoding(acceptEncoding, chosen.text.length);
    return { body: encoding ? chosen[encoding] : chosen.text, encoding };
  };
}
