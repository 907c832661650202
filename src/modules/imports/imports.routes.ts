import { rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, listQuery, noStore, page, requireActor } from '../../lib/http.ts';
import { pickLanguage, translator } from '../../lib/i18n.ts';
import { settingsRegionCode } from '../settings/settings.service.ts';
import { importLimits, maxUploadBytesFor } from './imports.limits.ts';
import {
  importIssueItem,
  importItem,
  importListItem,
  listImportIssuesQuery,
  templateQuery,
} from './imports.schema.ts';
import {
  cancelImport,
  createUploadedImport,
  eachIssue,
  errorReportOf,
  getImport,
  listImportIssues,
  listImports,
  runDryImportForReal,
  type StoredUpload,
  scopeOf,
  storeUpload,
} from './imports.service.ts';
import { buildTemplate, writeErrorReport } from './imports.template.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function attachment(reply: FastifyReply, fileName: string) {
  reply.header('content-type', xlsxType);
  reply.header('content-disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`);
  noStore(reply);
}

const truthy = (value: unknown) => ['true', '1', 'on', 'yes'].includes(String(value).toLowerCase());

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/imports',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'Upload a registry file',
        operationId: 'createImport',
        tags: ['imports'],
        description:
          'Uploads a registry file (multipart: `file`, and `dryRun`=true to only check it) and queues its import. ' +
          'The header is checked at once (422 import_columns_missing); the rows are imported in the background: ' +
          'poll GET /imports/{id}.',
        consumes: ['multipart/form-data'],
        response: {
          202: importItem,
          400: errorBody,
          403: errorBody,
          413: errorBody,
          415: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!request.isMultipart()) return fail('unsupported_media');
      let dryRun = false;
      let upload: StoredUpload | null = null;
      const maxBytes = maxUploadBytesFor(actor.role);
      try {
        for await (const part of request.parts({
          limits: { fileSize: maxBytes + 1, files: 1, fields: 10 },
        })) {
          if (part.type === 'file') {
            if (upload || part.fieldname !== 'file') part.file.resume();
            else upload = await storeUpload(part.file, part.filename, maxBytes);
          } else if (part.fieldname === 'dryRun') {
            dryRun = truthy(part.value);
          }
        }
        if (!upload)
          return fail('validation_failed', [{ path: 'body.file', message: 'Attach the file as "file".' }]);
        const item = await createUploadedImport(app.ctx, actor, upload, { dryRun });
        reply.status(202);
        return item;
      } finally {
        if (upload) await rm(upload.path, { force: true });
      }
    },
  );

  app.get(
    '/imports',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'List imports',
        operationId: 'listImports',
        tags: ['imports'],
        querystring: listQuery,
        response: { 200: page(importListItem), 403: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return listImports(app.ctx, actor, request.query);
    },
  );

  app.get(
    '/imports/limits',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'Get the caller’s import limits',
        operationId: 'getImportLimits',
        tags: ['imports'],
        description:
          'The largest file the caller may upload (it depends on the role) and the most rows a file may have.',
        response: {
          200: z.object({ maxUploadBytes: z.number().int(), maxRows: z.number().int() }),
          403: errorBody,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return { maxUploadBytes: maxUploadBytesFor(actor.role), maxRows: importLimits.maxRows };
    },
  );

  app.get(
    '/imports/template.xlsx',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'Download the registry file template',
        operationId: 'getImportTemplate',
        tags: ['imports'],
        description:
          'An XLSX template: the header row, a note per column, drop-down lists for kecamatan and kelurahan of ' +
          'the kabupaten/kota of your organisation.',
        querystring: templateQuery,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const t = translator(pickLanguage(request.query.lang, request.headers['accept-language']), 'imports');
      const buffer = await buildTemplate(app.ctx, {
        kabkotaCode: scopeOf(actor, await settingsRegionCode(app.ctx)).kabkotaCode,
        t,
      });
      attachment(reply, 'templat-registri-pulih.xlsx');
      return reply.send(buffer);
    },
  );

  app.get(
    '/imports/:id',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'Get an import’s progress and summary',
        operationId: 'getImport',
        tags: ['imports'],
        description: 'Progress and summary of an import; errors and warnings are capped (see errorCount).',
        params: idParams,
        response: { 200: importItem, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getImport(app.ctx, actor, request.params.id);
    },
  );

  app.get(
    '/imports/:id/issues',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'List an import’s issues',
        operationId: 'listImportIssues',
        tags: ['imports'],
        params: idParams,
        querystring: listImportIssuesQuery,
        response: { 200: page(importIssueItem), 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return listImportIssues(app.ctx, actor, request.params.id, request.query);
    },
  );

  app.get(
    '/imports/:id/errors.xlsx',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'Download an import’s issues as XLSX',
        operationId: 'getImportErrors',
        tags: ['imports'],
        description: 'Every rejected row as it was in the file, with its errors in a column beside it.',
        params: idParams,
        querystring: z.object({ lang: z.enum(['id', 'en']).optional() }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const t = translator(pickLanguage(request.query.lang, request.headers['accept-language']), 'imports');
      const { job, header, fileName } = await errorReportOf(app.ctx, actor, request.params.id);
      const out = new PassThrough();
      writeErrorReport(out, {
        header,
        errors: eachIssue(app.ctx, job.id, 'error'),
        warnings: eachIssue(app.ctx, job.id, 'warning'),
        t,
      }).catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
      attachment(reply, `${fileName.replace(/\.[^.]*$/, '')}-kesalahan.xlsx`);
      return reply.send(out);
    },
  );

  app.post(
    '/imports/:id/cancel',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'Cancel an import',
        operationId: 'cancelImport',
        tags: ['imports'],
        description:
          'Cancels an import that is queued, running or failed. The batches already committed stay ' +
          '(the summary counts them); the batch in progress rolls back. 409 import_finished once it has ended.',
        params: idParams,
        response: { 200: importItem, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return cancelImport(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/imports/:id/run',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'Run a checked import',
        operationId: 'runImport',
        tags: ['imports'],
        description: 'Imports for real the file of a finished dry run, without uploading it again.',
        params: idParams,
        response: { 202: importItem, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const item = await runDryImportForReal(app.ctx, actor, request.params.id);
      reply.status(202);
      return item;
    },
  );
};
