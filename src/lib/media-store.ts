import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

// Files that pages show (product photos and their variants): kept out of the database, so
// that backups of the rows stay small and a web server or CDN can serve them. Names are
// content-derived and never reused, so a stored file never changes: the server sends it with
// an immutable cache header and its name as ETag.
//
// Two stores: a folder (`<data>/media`, or PULIH_MEDIA_DIR) and any S3-compatible bucket
// (PULIH_MEDIA_S3_*, src/lib/media-store-s3.ts), chosen by configuration.
export type MediaStore = {
  // Where the files are, for messages ("folder /srv/pulih/media", "s3 bucket pulih-media").
  readonly where: string;
  put(name: string, bytes: Buffer): Promise<void>;
  get(name: string): Promise<Buffer | null>;
  remove(name: string): Promise<void>;
  // Every stored name, in no particular order.
  list(): AsyncIterable<string>;
  // Throws MediaStoreUnreachable when the store cannot be read and written to.
  check(): Promise<void>;
  // Where a browser can fetch the file without going through Pulih, when configured.
  publicUrlOf(name: string): string | null;
};

export class MediaStoreUnreachable extends Error {
  constructor(where: string, reason: string) {
    super(`The media store (${where}) cannot be reached: ${reason}`);
    this.name = 'MediaStoreUnreachable';
  }
}

// Names are [a-z0-9-] plus one extension: nothing a caller passes can leave the folder.
export const mediaNamePattern = /^[a-z0-9][a-z0-9-]{0,120}\.(webp|jpg|png)$/;

export const contentHash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 24);

export const mediaContentType = (name: string) =>
  name.endsWith('.jpg') ? 'image/jpeg' : name.endsWith('.png') ? 'image/png' : 'image/webp';

export function folderMediaStore(dir: string): MediaStore {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const path = (name: string) => {
    if (!mediaNamePattern.test(name)) throw new RangeError(`not a media name: ${name}`);
    return join(root, name);
  };
  return {
    where: `folder ${root}`,
    async put(name, bytes) {
      const target = path(name);
      // Written aside and renamed: a reader never sees half a file.
      const partial = `${target}.${process.pid}.${Date.now()}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, target);
    },
    async get(name) {
      if (!mediaNamePattern.test(name)) return null;
      try {
        return await readFile(path(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async remove(name) {
      await rm(path(name), { force: true });
    },
    async *list() {
      for (const name of await readdir(root)) if (mediaNamePattern.test(name)) yield name;
    },
    async check() {
      const probe = join(root, `.pulih-check-${process.pid}`);
      try {
        await writeFile(probe, '');
        await rm(probe, { force: true });
      } catch (error) {
        throw new MediaStoreUnreachable(`folder ${root}`, (error as Error).message);
      }
    },
    publicUrlOf: () => null,
  };
}
