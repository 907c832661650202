import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, errorCatalogue } from './errors.ts';

export const errorPayload = (code: ErrorCode, message?: string, details?: unknown) => ({
  error: {
    code,
    message: message ?? errorCatalogue[code].message,
    ...(details === undefined ? {} : { details }),
  },
});

type Mapped = { code: ErrorCode; details?: unknown; message?: string };

// PostgreSQL error classes that only bad input can cause once the schemas have passed it: a
// value the column type cannot hold (a tampered cursor, a NUL byte, the year 0, a number out
// of range) or a reference to a row that does not exist. The database is the last check; the
// answer names the kind of problem, never the database's own text.
function fromDatabase(error: unknown): Mapped | null {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (code.startsWith('22'))
        return { code: 'validation_failed', details: { reason: 'value_out_of_range' } };
      if (code === '23503') return { code: 'invalid_reference' };
      if (code === '23505') return { code: 'conflict' };
      if (code === '23514' || code === '23502')
        return { code: 'validation_failed', details: { reason: 'constraint' } };
      return null;
    }
    current = candidate.cause;
  }
  return null;
}

// Fastify's own errors carry a stable `code` (FST_...) and a message that may quote the
// request or the framework's internals: the answer keeps the code as a detail, not the text.
function fromFramework(error: FastifyError, request: FastifyRequest): Mapped | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'invalid_json' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { code: 'unsupported_media' };
    case 'FST_REQ_FILE_TOO_LARGE':
      return { code: 'photo_too_large' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // Photos are sent as the raw body; their code was shipped before the general one.
      return {
        code: request.url.split('?')[0]?.endsWith('/photo')
          ? 'photo_too_large'
          : request.url.split('?')[0]?.endsWith('/kecamatan-map')
            ? 'kecamatan_map_too_large'
            : 'payload_too_large',
      };
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { code: 'payload_too_large' };
  }
  if (error instanceof SyntaxError) return { code: 'invalid_json' };
  if (error.statusCode === 429) return { code: 'rate_limited' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { code: 'validation_failed', details: error.code ? { reason: error.code } : undefined };
  }
  return null;
}

// The one place where an error becomes an HTTP answer: our AppErrors by the catalogue,
// schema failures with the fields at fault, anything else as a stable code. An error we did
// not expect is logged whole and answered as internal_error without its message.
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return reply.status(error.status).send(errorPayload(error.code, error.message, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      path: [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message,
      code:
        v.params?.issue && typeof v.params.issue === 'object'
          ? (v.params.issue as { code?: string }).code
          : undefined,
    }));
    return reply.status(400).send(errorPayload('validation_failed', undefined, details));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response does not match its schema');
    return reply.status(500).send(errorPayload('internal_error'));
  }
  const mapped = fromDatabase(error) ?? fromFramework(error, request);
  if (mapped) {
    if (
      mapped.code === 'validation_failed' ||
      mapped.code === 'invalid_reference' ||
      mapped.code === 'conflict'
    )
      request.log.warn({ err: error }, 'bad input reached the database');
    const status = errorCatalogue[mapped.code].status;
    return reply.status(status).send(errorPayload(mapped.code, undefined, mapped.details));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send(errorPayload('internal_error'));
}

export function handleFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  return reply.status(400).send(errorPayload('validation_failed', undefined, { reason: error.code }));
}
