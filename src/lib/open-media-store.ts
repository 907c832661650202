import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderMediaStore, type MediaStore } from './media-store.ts';
import { mediaS3ConfigFromEnv, s3MediaStore } from './media-store-s3.ts';

// The configured store: an S3-compatible bucket when PULIH_MEDIA_S3_BUCKET is set; else the
// folder PULIH_MEDIA_DIR, the data folder's `media`, or (tests, a database given by URL and
// no --data) a fresh temporary folder.
export function openMediaStore(
  dataDir: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): MediaStore {
  const s3 = mediaS3ConfigFromEnv(env);
  if (s3) return s3MediaStore(s3);
  const configured = env.PULIH_MEDIA_DIR;
  if (configured) return folderMediaStore(configured);
  if (dataDir) return folderMediaStore(join(dataDir, 'media'));
  return folderMediaStore(mkdtempSync(join(tmpdir(), 'pulih-media-')));
}
