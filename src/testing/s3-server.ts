import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaS3Config } from '../lib/media-store-s3.ts';

// A real S3-compatible server for tests, on 127.0.0.1 at a free port: S3rver (the maintained
// fork, @20minutes/s3rver), which speaks the S3 REST protocol with SigV4 signatures and keeps
// objects in a folder. No S3 server is installed on the machines and no container image can be
// pulled, and a mock would test only what the mock was told.

type S3rverInstance = {
  configureBuckets(): Promise<void>;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
};
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const require = createRequire(import.meta.url);

export type TestS3Server = {
  endpoint: string;
  config: (bucket: string, extra?: Partial<MediaS3Config>) => MediaS3Config;
  close: () => Promise<void>;
};

// S3rver's one account; the signatures are checked against it.
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3Server(buckets: string[]): Promise<TestS3Server> {
  const S3rver = require('@20minutes/s3rver') as S3rverClass;
  const directory = mkdtempSync(join(tmpdir(), 'pulih-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: !process.env.PULIH_TEST_S3_LOG,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  await server.configureBuckets();
  // Two known differences from S3. A listing longer than one page fails (S3rver makes its
  // continuation token with DES, which OpenSSL 3 no longer offers): tests list small buckets.
  // S3rver signs a bucket's address as `/bucket` where the SDK (and AWS) sign the path as
  // sent, `/bucket/`: its check is relaxed for those requests alone (listing a bucket). Object
  // requests (put, get, delete) keep their full signature check, so a wrong secret still fails.
  const bucketLevel = new AsyncLocalStorage<boolean>();
  Object.defineProperty(server, 'allowMismatchedSignatures', { get: () => bucketLevel.getStore() === true });
  const handle = server.callback();
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    bucketLevel.run(/^\/[^/]+\/$/.test(path), () => handle(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    endpoint,
    config: (bucket, extra = {}) => ({
      bucket,
      endpoint,
      region: 'us-east-1',
      ...credentials,
      forcePathStyle: true,
      prefix: '',
      ...extra,
    }),
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
