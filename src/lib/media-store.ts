import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Files that pages show (product photos and their variants): kept out of the database, so
// that backups of the rows stay small and a web server or CDN can serve them. Names are
// content-derived and never reused, so a stored file never changes: the server sends it with
// an immutable cache header and its name as ETag.
//
// One store is a folder (`<data>/media`, or PULIH_MEDIA_DIR). An S3-compatible store would
// implement the same three calls; it is not built (see docs/catalog.md).
export type MediaStore = {
  put(name: string, bytes: Buffer): Promise<void>;
  get(name: string): Promise<Buffer | null>;
  remove(name: string): Promise<void>;
};

// Names are [a-z0-9-] plus one extension: nothing a caller passes can leave the folder.
export const mediaNamePattern = /^[a-z0-9][a-z0-9-]{0,120}\.(webp|jpg|png)$/;

export const contentHash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 24);

export function folderMediaStore(dir: string): MediaStore {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const path = (name: string) => {
    if (!mediaNamePattern.test(name)) throw new RangeError(`not a media name: ${name}`);
    return join(root, name);
  };
  return {
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
  };
}

// The data folder's media store; without a data folder (tests, a database given by URL and no
// --data), PULIH_MEDIA_DIR or a fresh temporary folder.
export function openMediaStore(dataDir: string | undefined): MediaStore {
  const configured = process.env.PULIH_MEDIA_DIR;
  if (configured) return folderMediaStore(configured);
  if (dataDir) return folderMediaStore(join(dataDir, 'media'));
  return folderMediaStore(mkdtempSync(join(tmpdir(), 'pulih-media-')));
}
