// Crockford base32 leaves out I, L, O and U so codes survive being read aloud and retyped.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const codePattern = /^PLH-\d{4}-[0-9A-HJKMNP-TV-Z]{8}$/;

export const certificateRandomBytes = 5;

export function isCertificateCode(s: string): boolean {
  return codePattern.test(s);
}

export function certificateCodeFromBytes(year: number, bytes: Uint8Array): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`certificate year ${year}`);
  if (bytes.length < certificateRandomBytes) throw new Error(`need ${certificateRandomBytes} random bytes`);
  let bits = 0n;
  for (const byte of bytes.subarray(0, certificateRandomBytes)) bits = (bits << 8n) | BigInt(byte);
  let chars = '';
  for (let shift = 35n; shift >= 0n; shift -= 5n) chars += alphabet[Number((bits >> shift) & 31n)];
  return `PLH-${year}-${chars}`;
}

// People retype codes from paper: accept lower case, spaces, and the letters Crockford folds.
export function normalizeCertificateCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const match = /^PLH(\d{4})([0-9A-Z]{8})$/.exec(compact);
  if (!match) return null;
  const body = (match[2] ?? '').replace(/[IL]/g, '1').replace(/O/g, '0');
  const code = `PLH-${match[1]}-${body}`;
  return isCertificateCode(code) ? code : null;
}
