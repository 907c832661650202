import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { openDatabase } from '../db/client.ts';
import { openMediaStore } from '../lib/open-media-store.ts';
import { loadReference } from '../reference/index.ts';

// The OpenAPI document without a database: the routes only touch it when a request comes,
// and a PostgreSQL pool connects on its first query, so a pool that never connects is
// enough to assemble the server.
export async function openApiDocument(): Promise<unknown> {
  // Imported here, as in `pulih serve` (src/cli/main.ts).
  const { buildServer } = await import('../server.ts');
  const database = openDatabase({ databaseUrl: 'postgres://unused@127.0.0.1:1/unused' });
  const app = await buildServer({
    database,
    db: database.db,
    ...loadReference(),
    publicUrl: null,
    replica: null,
    media: openMediaStore(undefined),
  });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await database.close();
  }
}

export function registerOpenApi(program: Command) {
  program
    .command('openapi')
    .description('print the OpenAPI document of the HTTP API (or write it to FILE)')
    .argument('[file]', 'write the document here instead of stdout')
    .action(async (file?: string) => {
      const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
      if (file) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      } else process.stdout.write(text);
    });
}
