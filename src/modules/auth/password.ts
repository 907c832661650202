import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;
// Under the test runner a cheap cost keeps hundreds of logins fast; the stored hash names
// its cost, so either kind verifies anywhere.
const params = { N: process.env.VITEST ? 1024 : 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, params);
  return `scrypt$${params.N}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    ...params,
    N: Number(n),
  });
  return timingSafeEqual(actual, expected);
}

// The functions as one object, so that a test can watch which hashes a login checks.
export const passwords = { hash: hashPassword, verify: verifyPassword };

export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}
