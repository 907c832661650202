// The code in the QR on an invitation card: `PLH1.<applicationId>.<mac>` (made and checked by
// the server, src/modules/training/attendance-token.ts). The phone cannot check the MAC, it
// has no secret; it reads the participant from the code so that a scan works with no
// signal, and the server judges the code when the check-in is sent.
const pattern = /^PLH1\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{16})$/;

export type CardCode = { token: string; applicationId: string };

// Scanners and people add spaces and capitals; the MAC after the last dot keeps its case.
export function readCardCode(input: string): CardCode | null {
  const compact = input.replace(/\s+/g, '');
  const lastDot = compact.lastIndexOf('.');
  if (lastDot < 0) return null;
  const head = compact
    .slice(0, lastDot)
    .toLowerCase()
    .replace(/^plh1\./, 'PLH1.');
  const token = `${head}${compact.slice(lastDot)}`;
  const match = pattern.exec(token);
  return match?.[1] ? { token, applicationId: match[1] } : null;
}
