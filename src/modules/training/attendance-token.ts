import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { cardCodeVersion, readCardCode } from '../../domain/card-code.ts';

// The code in the QR on a participant's invitation card: `PLH1.<applicationId>.<mac>`.
// It carries the application id in clear so that the venue phone can find the participant
// in its saved list with no signal; the MAC (HMAC-SHA256 under a server secret, cut to 96
// bits) lets only the server vouch for it, so a code cannot be made up from a guessed or
// leaked id. It holds no NIK or other personal data. 58 characters fit a version 4 QR code.
// The format and its reading are src/domain/card-code.ts, shared with the venue phone.
export const attendanceTokenVersion = cardCodeVersion;
const macBytes = 12;
export const attendanceSecretBytes = 32;

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

export function readAttendanceToken(secret: Buffer, input: string): TokenReading {
  const card = readCardCode(input);
  if (!card) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(card.mac, 'base64url');
  const expected = mac(secret, card.applicationId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature' };
  }
  return { ok: true, applicationId: card.applicationId };
}
