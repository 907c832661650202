import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// The code in the QR on a participant's invitation card: `PLH1.<applicationId>.<mac>`.
// It carries the application id in clear so that the venue phone can find the participant
// in its saved list with no signal; the MAC (HMAC-SHA256 under a server secret, cut to 96
// bits) lets only the server vouch for it, so a code cannot be made up from a guessed or
// leaked id. It holds no NIK or other personal data. 58 characters fit a version 4 QR code.
export const attendanceTokenVersion = 'PLH1';
const macBytes = 12;
export const attendanceSecretBytes = 32;

const tokenPattern =
  /^PLH1\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{16})$/;

export function newAttendanceSecret(): Buffer {
  return randomBytes(attendanceSecretBytes);
}

function mac(secret: Buffer, applicationId: string): Buffer {
  return createHmac('sha256', secret)
    .update(`${attendanceTokenVersion}.${applicationId}`)
    .digest()
    .subarray(0, macBytes);
}

export function attendanceToken(secret: Buffer, applicationId: string): string {
  const id = applicationId.toLowerCase();
  return `${attendanceTokenVersion}.${id}.${mac(secret, id).toString('base64url')}`;
}

export type TokenReading =
  | { ok: true; applicationId: string }
  | { ok: false; reason: 'malformed' | 'signature' };

// Scanners and people add spaces, line breaks and capitals; none of them changes the meaning.
export function readAttendanceToken(secret: Buffer, input: string): TokenReading {
  const [, rawId, rawMac] = tokenPattern.exec(normalise(input)) ?? [];
  if (!rawId || !rawMac) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(rawMac, 'base64url');
  const expected = mac(secret, rawId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature' };
  }
  return { ok: true, applicationId: rawId };
}

function normalise(input: string): string {
  const compact = input.replace(/\s+/g, '');
  const lastDot = compact.lastIndexOf('.');
  if (lastDot < 0) return compact;
  // The MAC is case-sensitive base64url; the prefix and the id are not.
  const head = compact
    .slice(0, lastDot)
    .toLowerCase()
    .replace(/^plh1\./, `${attendanceTokenVersion}.`);
  return `${head}${compact.slice(lastDot)}`;
}
