import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

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

// The page the server sends for an address of the web app: index.html with
// <link rel="modulepreload"> for the code and strings of the screen that address opens, so a
// phone fetches them alongside the entry script instead of after it has run. Without
// preload.json (an older build) the page is index.html as it is.
export function startPages(webDist: string): (path: string, language: string | undefined) => string {
  const html = readFileSync(resolve(webDist, 'index.html'), 'utf8');
  const listed = resolve(webDist, 'preload.json');
  if (!existsSync(listed)) return () => html;
  const preloads = JSON.parse(readFileSync(listed, 'utf8')) as StartPreloads;
  const page = (files: string[]) => {
    const links = [...new Set(files)]
      .filter((f) => /^\/assets\/[\w.-]+\.js$/.test(f))
      .map((f) => `    <link rel="modulepreload" crossorigin href="${f}">\n`)
      .join('');
    return html.replace(/\n\s*<\/head>/, (end) => `\n${links.trimEnd()}${end}`);
  };
  const pages = new Map<string, string>();
  for (const language of ['id', 'en'] as const) {
    const strings = preloads[`locale:${language}`];
    pages.set(`login:${language}`, page([...preloads.login, ...strings]));
    pages.set(`dashboard:${language}`, page([...preloads.frame, ...preloads.dashboard, ...strings]));
    pages.set(`other:${language}`, page([...preloads.frame, ...strings]));
  }
  return (path, language) => {
    const key = `${screenOf(path)}:${language === 'en' ? 'en' : 'id'}`;
    return pages.get(key) ?? html;
  };
}
