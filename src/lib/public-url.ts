import type { FastifyRequest } from 'fastify';
import type { AppContext } from './context.ts';

// The one address public links are built on (QR codes, invitations, Open Graph, follow-ups):
// the office's configured public URL, else PULIH_PUBLIC_URL, else the scheme and host the
// request came in on. Without a trailing slash.
export function publicBaseUrl(ctx: AppContext, request: FastifyRequest | null): string {
  const base = ctx.publicUrl ?? (request ? `${request.protocol}://${request.host}` : 'http://localhost:3000');
  return base.replace(/\/+$/, '');
}
