import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run bench -- NAME [args]` runs bench/NAME.ts; without a name it lists them.
const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

if (!name || !existsSync(resolve(here, `${name}.ts`))) {
  console.log(`usage: npm run bench -- NAME [options]\nbenchmarks: ${available.join(', ') || '(none)'}`);
  process.exit(name ? 1 : 0);
}
process.argv = [process.argv[0]!, resolve(here, `${name}.ts`), ...args];
await import(resolve(here, `${name}.ts`));
