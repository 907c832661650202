import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, createServer, type Plugin } from 'vite';

type PrerenderModule = typeof import('./src/prerender.tsx');

// How long after the page has loaded an untouched page's app starts (see bootScript).
const idleStartMs = 3000;

// Where the build writes the server's bundle of web/src/ssr.tsx (as ssr.js), under web/.
export const ssrOutDir = 'dist-ssr';

// Writes dist/prerender.json: the sign-in screen drawn by React in Node, once per language. The
// server puts it inside <div id="root"> of the page it sends for /login
// (src/lib/start-preload.ts), so a phone draws the real form as soon as the HTML and the
// stylesheet are there, without waiting for ~250 kB of JavaScript on a slow network; the app
// then hydrates that markup (main.tsx) instead of drawing it again.
export function prerender(): Plugin {
  let outDir = '';
  let root = '';
  let boot = '';
  return {
    name: 'pulih-prerender',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    generateBundle() {
      const ref = this.emitFile({ type: 'asset', name: 'boot.js', source: bootScript });
      boot = `/${this.getFileName(ref)}`;
    },
    writeBundle(options) {
      outDir = options.dir ?? '';
    },
    async closeBundle() {
      if (!outDir) return;
      const server = await createServer({
        configFile: false,
        root,
        logLevel: 'error',
        appType: 'custom',
        server: { middlewareMode: true, hmr: false, ws: false },
        optimizeDeps: { noDiscovery: true, include: [] },
      });
      try {
        const { prerenderScreen, prerenderedScreens } = (await server.ssrLoadModule(
          '/src/prerender.tsx',
        )) as PrerenderModule;
        const result: { boot: string; screens: Record<string, Record<string, string>> } = {
          boot,
          screens: {},
        };
        for (const screen of Object.keys(prerenderedScreens) as (keyof typeof prerenderedScreens)[]) {
          result.screens[prerenderedScreens[screen]] = {
            id: await prerenderScreen(screen, 'id'),
            en: await prerenderScreen(screen, 'en'),
          };
        }
        writeFileSync(join(outDir, 'prerender.json'), JSON.stringify(result));
      } finally {
        await server.close();
      }
      // The screens drawn per request, with the visitor's own figures (the dashboard and its
      // frame, web/src/ssr.tsx): a bundle for Node, which the server loads once at start-up
      // (src/lib/start-preload.ts). Beside web/dist, not in it: nothing a browser should fetch.
      // The web app's packages are devDependencies, absent where the server was installed with
      // `npm ci --omit=dev`: the bundle carries them, and only the server's own dependencies
      // (React among them, so one React in the process) stay imports.
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        ssr: { noExternal: true, external: serverDependencies(root) },
        build: {
          ssr: 'src/ssr.tsx',
          outDir: resolve(root, ssrOutDir),
          emptyOutDir: true,
          minify: false,
          copyPublicDir: false,
          rolldownOptions: {
            // Client components' "use client" means nothing to a bundle drawn in Node.
            onLog(level, log, handler) {
              if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
            },
          },
        },
      });
    },
  };
}

function serverDependencies(webRoot: string): string[] {
  const manifest = JSON.parse(readFileSync(resolve(webRoot, '..', 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {});
}

// The page of a drawn screen loads the app with this instead of <script type="module"> tags:
// the code is fetched once the browser has painted the screen, so that the first paint waits
// for the HTML and the stylesheet only, not for ~250 kB of JavaScript fetched and compiled
// alongside. A drawn screen that works without the app (data-start="touch": the sign-in form
// posts to the server; the dashboard's links are links, and this script works its menu) runs
// the app only when the visitor first touches, clicks, types into or focuses something on the
// page, or else once the page has loaded and stayed idle for a while: running the code and
// hydrating the screen is that page's largest main-thread cost (the blocking time that decided
// its score), and this keeps it off the page's loading; what is typed meanwhile stays (the form
// reads its drawn inputs while hydrating), and a form sent before goes to the server. Without
// data-start the app runs as soon as the code is there. A classic deferred script (low
// priority, never blocking the paint); the files come from its data-modules and data-preload
// (src/lib/start-preload.ts).
//
// Until the app has taken the signed-in frame over (web/src/lib/drawn.ts marks it on <html>),
// the frame's controls are this script's, so that no tap is lost while the code downloads or
// hydrates: the burger ([data-menu-toggle]) opens and closes the phone's menu (html[data-menu],
// styles.css; the app opens its own when it takes over), a control that needs the app
// ([data-needs-app], the account menu) shows it is waiting and is clicked again once the app
// has it, and the language switch, until the app runs, stores the choice where the app and the
// server read it (web/src/lib/i18n.ts) and loads the page again in that language.
const bootScript = `(() => {
  const boot = document.currentScript;
  const html = document.documentElement;
  const list = (name) => (boot.dataset[name] || '').split(' ').filter(Boolean);
  let fetched = false;
  let started = false;
  const fetchCode = () => {
    if (fetched) return;
    fetched = true;
    for (const href of [...list('modules'), ...list('preload')]) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.crossOrigin = '';
      link.href = href;
      document.head.append(link);
    }
  };
  const touches = ['pointerdown', 'touchstart', 'keydown', 'focusin'];
  const start = () => {
    if (started) return;
    started = true;
    for (const type of touches) removeEventListener(type, start, true);
    fetchCode();
    for (const src of list('modules')) {
      const script = document.createElement('script');
      script.type = 'module';
      script.crossOrigin = '';
      script.src = src;
      document.head.append(script);
    }
  };
  let waiting = null;
  addEventListener('click', (event) => {
    if (html.dataset.frame === 'app' || !(event.target instanceof Element)) return;
    const toggle = event.target.closest('[data-menu-toggle]');
    const needsApp = event.target.closest('[data-needs-app]');
    if (!toggle && !needsApp) return;
    // The app's own handlers, if it is hydrating, leave this click to this script.
    event.stopPropagation();
    start();
    if (needsApp) {
      if (waiting) waiting.removeAttribute('aria-busy');
      waiting = needsApp;
      needsApp.setAttribute('aria-busy', 'true');
      return;
    }
    const open = html.dataset.menu !== 'open';
    if (open) html.dataset.menu = 'open';
    else delete html.dataset.menu;
    const label = toggle.getAttribute('aria-label');
    toggle.setAttribute('aria-label', toggle.dataset.labelOther || label);
    toggle.dataset.labelOther = label;
    toggle.firstElementChild?.toggleAttribute('data-opened', open);
  }, true);
  new MutationObserver(() => {
    if (html.dataset.frame !== 'app' || !waiting) return;
    const target = waiting;
    waiting = null;
    target.removeAttribute('aria-busy');
    target.click();
  }).observe(html, { attributes: true, attributeFilter: ['data-frame'] });
  addEventListener('change', (event) => {
    const input = event.target;
    if (html.dataset.app === 'running' || !(input instanceof HTMLInputElement) || !input.closest('.language-switch')) return;
    try {
      localStorage.setItem('pulih.lang', input.value);
    } catch {}
    document.cookie = 'pulih_lang=' + input.value + '; path=/; max-age=31536000; samesite=lax';
    location.reload();
  }, true);
  if (boot.dataset.start !== 'touch') {
    // A background tab paints no frame: a second at the latest.
    requestAnimationFrame(() => setTimeout(start, 0));
    setTimeout(start, 1000);
    return;
  }
  for (const type of touches) addEventListener(type, start, { capture: true, passive: true });
  requestAnimationFrame(() => setTimeout(fetchCode, 0));
  setTimeout(fetchCode, 1000);
  const idle = () =>
    setTimeout(() => (window.requestIdleCallback ? requestIdleCallback(start, { timeout: 1000 }) : start()), ${idleStartMs});
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
})();
`;
