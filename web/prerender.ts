import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Plugin } from 'vite';

type PrerenderModule = typeof import('./src/prerender.tsx');

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
    },
  };
}

// The page of a drawn screen loads the app with this instead of <script type="module"> tags:
// the modules are asked for once the browser has painted the form, so that the first paint
// waits for the HTML and the stylesheet only, not for ~250 kB of JavaScript being fetched and
// compiled alongside. A classic deferred script (low priority, never blocking the paint); the
// files come from its data-modules and data-preload (src/lib/start-preload.ts). A background
// tab paints no frame: it starts after a second at the latest.
const bootScript = `(() => {
  const boot = document.currentScript;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const href of (boot.dataset.preload || '').split(' ').filter(Boolean)) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.crossOrigin = '';
      link.href = href;
      document.head.append(link);
    }
    for (const src of (boot.dataset.modules || '').split(' ').filter(Boolean)) {
      const script = document.createElement('script');
      script.type = 'module';
      script.crossOrigin = '';
      script.src = src;
      document.head.append(script);
    }
  };
  requestAnimationFrame(() => setTimeout(start, 0));
  setTimeout(start, 1000);
})();
`;
