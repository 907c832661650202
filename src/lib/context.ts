import type { Database, Db } from '../db/client.ts';
import type { ReadReplica } from '../db/replica.ts';
import type { KbliIndex } from '../domain/kbli.ts';
import type { RegionIndex } from '../domain/region.ts';
import type { Actor } from '../policies.ts';
import type { MediaStore } from './media-store.ts';

export type AppContext = {
  database: Database;
  db: Db;
  regions: RegionIndex;
  kbli: KbliIndex;
  publicUrl: string | null;
  // DATABASE_REPLICA_URL: where reports and open data read (src/db/replica.ts), or none.
  replica: ReadReplica | null;
  // Photos and other files pages show (src/lib/media-store.ts).
  media: MediaStore;
};

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
    // the id of the session or API token the request came with
    tokenId: string | null;
  }
}
