import type { Plugin } from 'vite';

// The screens a visit usually starts on, by the module that is their code, and the locale
// namespaces the shell loads before its first render (lib/i18n.ts startNamespaces).
const startScreens = {
  login: /[\\/]features[\\/]auth[\\/]LoginPage\.tsx$/,
  frame: /[\\/]app[\\/]Layout\.tsx$/,
  dashboard: /[\\/]features[\\/]reports[\\/]DashboardPage\.tsx$/,
  'locale:id': /[\\/]locales[\\/]id[\\/](web|errors)\.json$/,
  'locale:en': /[\\/]locales[\\/]en[\\/](web|errors)\.json$/,
};

export type StartPreloads = Record<keyof typeof startScreens, string[]>;

// Writes dist/preload.json: for each start screen, the files of its code that index.html does
// not already load. The server names them in <link rel="modulepreload"> in the page it sends
// for that address (src/lib/start-preload.ts), so a phone fetches the screen's code and strings
// alongside the entry instead of after it has run: one round trip on the critical path
// instead of two.
export function startPreload(): Plugin {
  return {
    name: 'pulih-start-preload',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const initial = new Set<string>();
      for (const c of chunks) if (c.isEntry) closure(c.fileName, byFile, initial);
      const result = {} as StartPreloads;
      for (const [name, test] of Object.entries(startScreens) as [keyof StartPreloads, RegExp][]) {
        const files = new Set<string>();
        const roots = chunks.filter((c) => c.facadeModuleId && test.test(c.facadeModuleId));
        if (roots.length === 0) throw new Error(`start-preload: no chunk for ${name}`);
        for (const c of roots) closure(c.fileName, byFile, files);
        result[name] = [...files].filter((f) => !initial.has(f)).map((f) => `/${f}`);
      }
      this.emitFile({ type: 'asset', fileName: 'preload.json', source: JSON.stringify(result) });
    },
  };
}

function closure(file: string, byFile: Map<string, { imports: string[] }>, into: Set<string>) {
  if (into.has(file)) return;
  into.add(file);
  for (const imported of byFile.get(file)?.imports ?? []) closure(imported, byFile, into);
}
