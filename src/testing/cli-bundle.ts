import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

// The tests that start the CLI in child processes (src/cli/data-folder.test.ts, the import
// tests) run it from JavaScript bundled once per run from the same sources, not through
// bin/pulih.js: there, tsx resolves and compiles a few hundred TypeScript files in every child,
// about one second of CPU per process (docs/testing.md, "Fifth stop"). The bundle holds our
// sources and drizzle-orm; other packages stay imports, resolved from the repository's
// node_modules, which is why it is written inside it. PULIH_TEST_CLI=tsx runs bin/pulih.js
// instead.

const root = resolve(import.meta.dirname, '../..');

export const cliEntries = {
  // bin/pulih.js
  main: 'src/cli/main.ts',
  // `node src/cli/import.ts import businesses FILE`: the import commands alone
  import: 'src/cli/import.ts',
  // acquireLock, for a process that only holds a data folder's lock
  lock: 'src/db/lock.ts',
} as const;

export type CliEntry = keyof typeof cliEntries;
export type CliBundle = Record<CliEntry, string>;

// Each source keeps its own import.meta.url (the migrations, locales and web/dist are found
// beside the sources), except the entry point, whose "am I the program" check must see the
// bundle's.
function keepSourceUrls(entry: string): Plugin {
  return {
    name: 'keep-source-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        const contents =
          args.path === entry
            ? text
            : text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
        return { contents, loader: 'ts' };
      });
    },
  };
}

// drizzle-orm is some two hundred ES modules under a package.json of 180 kB, which Node reads
// again for each of them to learn the module format: importing it took 0.5-0.7 s of CPU (and
// over a second of wall time) in every child, bundled 0.08 s (docs/testing.md, "Eleventh
// stop"). It is plain JavaScript without files of its own to find, so it bundles as it is.
const bundledPackages = /^drizzle-orm(\/|$)/;

function externalPackages(): Plugin {
  return {
    name: 'external-packages',
    setup(b) {
      // A bare specifier (a package or a node: builtin) stays an import unless listed above.
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        bundledPackages.test(args.path) ? undefined : { path: args.path, external: true },
      );
    },
  };
}

// Bundles every entry into a folder of its own inside a new folder; `remove` deletes it. Code
// split: what an entry imports dynamically (the server and the demo, for `pulih serve` and
// `pulih demo` only: src/cli/main.ts) goes into chunks loaded when imported, as the sources
// are. One build per entry, so an entry's own code stays in its file with its own
// import.meta.url (keepSourceUrls).
export async function buildCliBundle(): Promise<{ files: CliBundle; remove: () => void }> {
  const cache = join(root, 'node_modules/.cache');
  await mkdir(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'pulih-test-cli-'));
  const files = {} as CliBundle;
  await Promise.all(
    (Object.keys(cliEntries) as CliEntry[]).map(async (name) => {
      const entry = join(root, cliEntries[name]);
      const outdir = join(dir, name);
      await build({
        entryPoints: { [name]: entry },
        outdir,
        outExtension: { '.js': '.mjs' },
        splitting: true,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        plugins: [externalPackages(), keepSourceUrls(entry)],
        logLevel: 'warning',
      });
      files[name] = join(outdir, `${name}.mjs`);
    }),
  );
  return { files, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
