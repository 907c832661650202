// The code in the QR on an invitation card: `PLH1.<applicationId>.<mac>`. The server makes and
// checks it (src/modules/training/attendance-token.ts); the venue phone reads the participant
// from it so that a scan works with no signal (it has no secret, so it cannot check the MAC,
// and the server judges the code when the check-in is sent). One reader for both, so that
// what the phone accepts is what the server accepts. Pure: the web app imports this file.
export const cardCodeVersion = 'PLH1';

const pattern = /^PLH1\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{16})$/;

// token: the code as the server wrote it; mac: its base64url signature, still unchecked.
export type CardCode = { token: string; applicationId: string; mac: string };

// Scanners and people add spaces, line breaks and capitals; none of them changes the meaning.
// The MAC after the last dot is case-sensitive base64url and keeps its case.
export function readCardCode(input: string): CardCode | null {
  const compact = input.replace(/\s+/g, '');
  const lastDot = compact.lastIndexOf('.');
  if (lastDot < 0) return null;
  const head = compact
    .slice(0, lastDot)
    .toLowerCase()
    .replace(/^plh1\./, `${cardCodeVersion}.`);
  const token = `${head}${compact.slice(lastDot)}`;
  const [, applicationId, mac] = pattern.exec(token) ?? [];
  return applicationId && mac ? { token, applicationId, mac } : null;
}
