import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { fail } from './errors.ts';

// Which proxies may tell us the client's address, scheme and host (X-Forwarded-For, -Proto,
// -Host). None by default: anyone could otherwise rotate X-Forwarded-For past the public
// form's per-address limit or point the catalogue's canonical links at another host.
// TRUST_PROXY takes what Fastify's trustProxy takes: addresses or CIDRs separated by commas
// (`127.0.0.1,10.0.0.0/8`, or `loopback`), or a number of hops.
export type TrustProxy = string | ((address: string, hop: number) => boolean) | false;

export function trustProxyFromEnv(value = process.env.TRUST_PROXY): TrustProxy {
  const text = value?.trim();
  if (!text || text === 'false' || text === 'none') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return (_address, hop) => hop < hops;
  }
  return text;
}

// The staff app is built by Vite into files served from this origin, and the public pages
// are server-rendered with their own <style> element: scripts only from here, styles from
// here or inline (Mantine writes its CSS variables into a <style> element), images also as
// data: or blob: URLs (QR codes, photo previews). Nobody may frame any page (clickjacking).
export const contentSecurityPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'media-src': ["'self'", 'blob:'],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
};

// CSRF, beyond the session cookie's SameSite=Lax: a browser says where a request comes from
// (Sec-Fetch-Site; Origin, else Referer, on browsers without it), so a state-changing
// request that a browser sends from another site is refused. Sec-Fetch-Site decides first:
// a page under `Referrer-Policy: no-referrer` (the public form) posts with `Origin: null`.
// Clients that are not browsers (the CLI, scripts with an API token) send none of these
// headers and carry no victim's cookie. The own origin is the public URL when one is
// configured, else the host the request came to (the scheme is not compared: without a
// trusted proxy the server does not know it).
export function checkSameOrigin(request: FastifyRequest, publicUrl: string | null) {
  if (!stateChanging.has(request.method)) return;
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'same-origin' || fetchSite === 'none') return;
  if (fetchSite === 'cross-site') fail('cross_site_request');
  const origin = request.headers.origin;
  const referer = request.headers.referer;
  const claimed = origin !== undefined ? origin : referer;
  if (claimed === undefined) return;
  const from = hostOf(claimed);
  const own = new Set([hostOf(`http://${request.host}`), publicUrl ? hostOf(publicUrl) : null]);
  if (!from || !own.has(from)) fail('cross_site_request');
}

const hasNulByte = (value: unknown, depth = 0): boolean => {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, v]) => key.includes('\u0000') || hasNulByte(v, depth + 1));
};

// Helmet's headers depend only on its options, never on the request: they are worked out
// once here. (@fastify/helmet built helmet's middleware again, parsing the policy, in two
// hooks of every request: about 60 µs of CPU a request, most of what a bare GET /health costs;
// docs/benchmarks.md, apply-lean.)
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => {},
  };
  helmet(options)({} as IncomingMessage, collect as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

// `mediaUrl`: where `/media/<name>` redirects to (PULIH_MEDIA_S3_PUBLIC_URL), whose origin the
// pages' images then load from.
export async function registerSecurity(
  app: FastifyInstance,
  options: { publicUrl: string | null; mediaUrl?: string | null },
) {
  const mediaOrigin = options.mediaUrl ? new URL(options.mediaUrl).origin : null;
  const directives = mediaOrigin
    ? { ...contentSecurityPolicy, 'img-src': [...contentSecurityPolicy['img-src'], mediaOrigin] }
    : contentSecurityPolicy;
  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives },
    // HSTS only when the request came over TLS (directly, or by a trusted proxy's word):
    // sent over plain HTTP it would lock a LAN-only office out of its own server.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers);
    if (request.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    checkSameOrigin(request, options.publicUrl);
  });
  // PostgreSQL cannot store a NUL byte in text; refuse it with the field-level code before
  // any handler runs rather than as a database error.
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      if (hasNulByte(value))
        fail('validation_failed', [{ path: part, message: 'NUL byte', code: 'nul_byte' }]);
    }
  });
}
