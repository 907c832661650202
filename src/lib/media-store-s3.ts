import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { type MediaStore, MediaStoreUnreachable, mediaContentType, mediaNamePattern } from './media-store.ts';

// The media store in any S3-compatible bucket (AWS S3, MinIO, Garage, Ceph RGW, Cloudflare R2,
// IDCloudHost or Biznet object storage), through the AWS SDK v3 S3 client: the one S3 client
// kept up to date with the protocol (signatures, checksums, path- and host-style addressing),
// used by every S3-compatible vendor's own documentation. Configured by PULIH_MEDIA_S3_*
// (docs/operations.md, "Media in an S3-compatible store").

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const mediaS3Config = z.object({
  bucket: z.string().trim().min(1),
  // Absent for AWS itself; the store's address otherwise (https://s3.example.id, http://127.0.0.1:9000).
  endpoint: z.url().optional(),
  region: z.string().trim().min(1).default('us-east-1'),
  accessKeyId: z.string().trim().min(1).optional(),
  secretAccessKey: z.string().trim().min(1).optional(),
  // Path-style (endpoint/bucket/key) works everywhere, host-style (bucket.endpoint/key) needs
  // DNS for the bucket: path-style unless told otherwise whenever an endpoint is given.
  forcePathStyle: flag.optional(),
  // Keys start with this (`pulih/media/`), so that one bucket can hold several offices.
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]*$/)
    .default(''),
  // When set, `/media/<name>` redirects there (a CDN or the bucket's public address).
  publicUrl: z.url().optional(),
});
export type MediaS3Config = z.infer<typeof mediaS3Config>;

const misconfigured = (reason: string) => new MediaStoreUnreachable('PULIH_MEDIA_S3_*', reason);

// null when no bucket is configured; a configuration that is half there fails loudly.
export function mediaS3ConfigFromEnv(env: NodeJS.ProcessEnv): MediaS3Config | null {
  const value = (name: string) => env[`PULIH_MEDIA_S3_${name}`]?.trim() || undefined;
  if (!value('BUCKET')) {
    const stray = Object.keys(env).filter((k) => k.startsWith('PULIH_MEDIA_S3_') && env[k]?.trim());
    if (stray.length > 0) throw misconfigured(`${stray.join(', ')} set without PULIH_MEDIA_S3_BUCKET`);
    return null;
  }
  const parsed = mediaS3Config.safeParse({
    bucket: value('BUCKET'),
    endpoint: value('ENDPOINT'),
    region: value('REGION'),
    accessKeyId: value('ACCESS_KEY_ID'),
    secretAccessKey: value('SECRET_ACCESS_KEY'),
    forcePathStyle: value('FORCE_PATH_STYLE')?.toLowerCase(),
    prefix: value('PREFIX'),
    publicUrl: value('PUBLIC_URL'),
  });
  if (!parsed.success)
    throw misconfigured(
      `not valid: ${parsed.error.issues.map((i) => `${i.path.join('.').toUpperCase()} ${i.message}`).join('; ')}`,
    );
  if (Boolean(parsed.data.accessKeyId) !== Boolean(parsed.data.secretAccessKey))
    throw misconfigured('PULIH_MEDIA_S3_ACCESS_KEY_ID and PULIH_MEDIA_S3_SECRET_ACCESS_KEY go together');
  return parsed.data;
}

const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

// What went wrong, in the words an operator acts on.
function reasonOf(error: unknown, config: MediaS3Config): string {
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchBucket' || (status === 404 && e.name === 'NotFound'))
    return `the bucket "${config.bucket}" does not exist (create it, or correct PULIH_MEDIA_S3_BUCKET)`;
  if (status === 403 || e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch')
    return `access denied to bucket "${config.bucket}" (${e.name ?? status}): check PULIH_MEDIA_S3_ACCESS_KEY_ID, _SECRET_ACCESS_KEY and _REGION, and that the key may read and write the bucket`;
  if (status === 301 || e.name === 'PermanentRedirect')
    return `the bucket answers from another region or address: check PULIH_MEDIA_S3_REGION and _ENDPOINT`;
  const code = e.code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code)
    return `${code} from ${config.endpoint ?? 'AWS S3'} (is PULIH_MEDIA_S3_ENDPOINT right, and the server up?)`;
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}

export function s3MediaStore(config: MediaS3Config): MediaStore {
  const where = `s3 bucket ${config.bucket}${config.endpoint ? ` at ${config.endpoint}` : ''}`;
  // The SDK is loaded on first use: commands and tests that keep media in a folder never pay
  // for it.
  let client: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | null = null;
  const open = () => {
    client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region: config.region,
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        forcePathStyle: config.forcePathStyle ?? Boolean(config.endpoint),
        ...(config.accessKeyId && config.secretAccessKey
          ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
          : {}),
        // Checksums only where the protocol requires them: several S3-compatible servers do
        // not (yet) accept the SDK's default CRC32 trailers.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        // A store that does not answer fails a request instead of holding it forever.
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
        maxAttempts: 3,
      }),
    }));
    return client;
  };
  const key = (name: string) => {
    if (!mediaNamePattern.test(name)) throw new RangeError(`not a media name: ${name}`);
    return `${config.prefix}${name}`;
  };
  const publicBase = config.publicUrl?.replace(/\/+$/, '') ?? null;
  return {
    where,
    async put(name, bytes) {
      const { s3, sdk } = await open();
      await s3.send(
        new sdk.PutObjectCommand({
          Bucket: config.bucket,
          Key: key(name),
          Body: bytes,
          ContentType: mediaContentType(name),
          // Served straight from the bucket (PULIH_MEDIA_S3_PUBLIC_URL) with the same header
          // Pulih sends: a name always means the same bytes.
          CacheControl: 'public, max-age=31536000, immutable',
        }),
      );
    },
    async get(name) {
      if (!mediaNamePattern.test(name)) return null;
      const { s3, sdk } = await open();
      try {
        const res = await s3.send(new sdk.GetObjectCommand({ Bucket: config.bucket, Key: key(name) }));
        const bytes = await res.Body?.transformToByteArray();
        return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
    async remove(name) {
      const { s3, sdk } = await open();
      await s3.send(new sdk.DeleteObjectCommand({ Bucket: config.bucket, Key: key(name) }));
    },
    async *list() {
      const { s3, sdk } = await open();
      let token: string | undefined;
      do {
        const page = await s3.send(
          new sdk.ListObjectsV2Command({
            Bucket: config.bucket,
            Prefix: config.prefix || undefined,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? []) {
          const name = object.Key?.slice(config.prefix.length);
          if (name && mediaNamePattern.test(name)) yield name;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    // The bucket is there, and the key may write and delete in it: a read-only key would
    // otherwise show only at the first photo upload.
    async check() {
      const { s3, sdk } = await open();
      // Named afresh each time: several servers starting together do not share a probe.
      const probe = `${config.prefix}.pulih-check-${randomUUID()}`;
      try {
        await s3.send(new sdk.HeadBucketCommand({ Bucket: config.bucket }));
        await s3.send(new sdk.PutObjectCommand({ Bucket: config.bucket, Key: probe, Body: Buffer.alloc(0) }));
        await s3.send(new sdk.DeleteObjectCommand({ Bucket: config.bucket, Key: probe }));
      } catch (error) {
        throw new MediaStoreUnreachable(where, reasonOf(error, config));
      }
    },
    publicUrlOf: (name) => (publicBase ? `${publicBase}/${encodeURIComponent(name)}` : null),
  };
}
