import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, page, requireActor } from '../../lib/http.ts';
import {
  createExclusionListBody,
  exclusionImport,
  exclusionList,
  listExclusionListsQuery,
} from './exclusions.schema.ts';
import {
  deleteExclusionList,
  getExclusionListItem,
  importExclusionList,
  listExclusionLists,
  type NikLine,
  readNikFile,
} from './exclusions.service.ts';

// A list of a million NIKs is about 18 MB of text.
const maxUploadBytes = 20 * 1024 * 1024;

const listFields = createExclusionListBody.omit({ niks: true });

async function readUpload(request: FastifyRequest) {
  const fields: Record<string, string> = {};
  let data: Buffer | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxUploadBytes, files: 1 } })) {
      if (part.type === 'file') data = await (part as MultipartFile).toBuffer();
      else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      return fail('validation_failed', { field: 'file', maxBytes: maxUploadBytes }, 'The file is too large.');
    }
    throw error;
  }
  if (!data) return fail('validation_failed', { field: 'file' }, 'Attach the list as `file`.');
  const parsed = listFields.safeParse({ ...fields, source: fields.source || null });
  if (!parsed.success) {
    return fail(
      'validation_failed',
      parsed.error.issues.map((i) => ({
        path: `body.${i.path.join('.')}`,
        message: i.message,
        code: i.code,
      })),
    );
  }
  return { ...parsed.data, source: parsed.data.source ?? null, lines: await readNikFile(data) };
}

export const exclusionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/exclusion-lists',
    {
      config: { access: 'writePrograms' },
      bodyLimit: maxUploadBytes,
      schema: {
        summary: 'Upload an exclusion list',
        operationId: 'createExclusionList',
        tags: ['exclusions'],
        description:
          'Imports a NIK list (civil servants, deceased, already aided) that eligibility rules can exclude: ' +
          'multipart with fields `name`, `kind`, `source` and a `file` (CSV or TXT with one NIK per line or a ' +
          '`nik` column, or XLSX), or JSON `{name, kind, source, niks}`. Posting to an existing name adds to ' +
          'that list; a NIK already on it is not added twice. Invalid NIKs are reported by line.',
        consumes: ['application/json', 'multipart/form-data'],
        body: createExclusionListBody.nullish(),
        response: { 201: exclusionImport, 400: errorBody, 403: errorBody, 409: errorBody, 415: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      let input: Parameters<typeof importExclusionList>[2];
      if (request.isMultipart()) {
        input = await readUpload(request);
      } else {
        const body = request.body ?? fail('validation_failed', { field: 'body' });
        const lines: NikLine[] = body.niks.map((value, i) => ({ line: i + 1, value }));
        input = { name: body.name, kind: body.kind, source: body.source ?? null, lines };
      }
      reply.status(201);
      return importExclusionList(app.ctx, actor, input);
    },
  );

  app.get(
    '/exclusion-lists',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'List exclusion lists',
        operationId: 'listExclusionLists',
        tags: ['exclusions'],
        querystring: listExclusionListsQuery,
        response: { 200: page(exclusionList), 403: errorBody },
      },
    },
    async (request) => {
      const { limit, cursor, kind } = request.query;
      return listExclusionLists(app.ctx, { kind }, { limit, cursor });
    },
  );

  app.get(
    '/exclusion-lists/:id',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Get one exclusion list',
        operationId: 'getExclusionList',
        tags: ['exclusions'],
        params: idParams,
        response: { 200: exclusionList, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      return getExclusionListItem(app.ctx, request.params.id);
    },
  );

  app.delete(
    '/exclusion-lists/:id',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Delete an exclusion list',
        operationId: 'deleteExclusionList',
        tags: ['exclusions'],
        description: 'Deletes the list and its NIKs; rules that name its kind then match no one on it.',
        params: idParams,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await deleteExclusionList(app.ctx, actor, request.params.id);
      return reply.status(204).send();
    },
  );
};
