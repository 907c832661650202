import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, page, requireActor } from '../../lib/http.ts';
import { maxSalesImportBytes } from './sales.import.ts';
import {
  businessSalesSummary,
  cohortSales,
  cohortSalesQuery,
  eventSales,
  listSalesQuery,
  saleBody,
  saleItem,
  salesByBusiness,
  salesByBusinessQuery,
  salesImportQuery,
  salesImportSummary,
} from './sales.schema.ts';
import {
  getBusinessSalesSummary,
  getCohortSales,
  getEventSales,
  getSalesByBusiness,
  importEventSales,
  listSales,
  recordSale,
} from './sales.service.ts';

export const salesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/businesses/:id/sales',
    {
      config: { access: 'recordSales' },
      schema: {
        summary: 'Record a sale',
        operationId: 'recordSale',
        tags: ['sales'],
        description: 'By the business’s owner, or an office within the business’s scope.',
        params: idParams,
        body: saleBody,
        response: { 201: saleItem, 400: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return recordSale(app.ctx, requireActor(request), request.params.id, request.body);
    },
  );

  app.get(
    '/businesses/:id/sales',
    {
      config: { access: 'readSales' },
      schema: {
        summary: 'List a business’s sales',
        operationId: 'listSales',
        tags: ['sales'],
        description: 'Newest first, optionally within from–to (inclusive).',
        params: idParams,
        querystring: listSalesQuery,
        response: { 200: page(saleItem), 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => listSales(app.ctx, requireActor(request), request.params.id, request.query),
  );

  app.get(
    '/businesses/:id/sales/summary',
    {
      config: { access: 'readSales' },
      schema: {
        summary: 'A business’s sales totals',
        operationId: 'getBusinessSalesSummary',
        tags: ['sales'],
        description: 'Sum and number of sales, by channel and by month, optionally within from–to.',
        params: idParams,
        querystring: listSalesQuery.pick({ from: true, to: true }),
        response: { 200: businessSalesSummary, 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      getBusinessSalesSummary(app.ctx, requireActor(request), request.params.id, request.query),
  );

  app.get(
    '/sales/by-business',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Sales per business',
        operationId: 'listSalesByBusiness',
        tags: ['sales'],
        description:
          'The businesses that sold in the period, largest total first; a kecamatan office sees its own.',
        querystring: salesByBusinessQuery,
        response: { 200: salesByBusiness, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => getSalesByBusiness(app.ctx, requireActor(request), request.query),
  );

  app.get(
    '/programs/:id/sales',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'A program cohort’s sales before and after the training',
        operationId: 'getCohortSales',
        tags: ['sales'],
        description:
          'The graduates’ sales in the `months` before the program’s start and the `months` after its end, per business and in all, with the number of graduates as denominator.',
        params: idParams,
        querystring: cohortSalesQuery,
        response: { 200: cohortSales, 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      getCohortSales(app.ctx, requireActor(request), request.params.id, request.query.months),
  );

  app.get(
    '/events/:id/sales',
    {
      config: { access: 'readEvents' },
      schema: {
        summary: 'Sales at a promotion event',
        operationId: 'getEventSales',
        tags: ['sales'],
        description: 'Totals per participant of the sales recorded for the event.',
        params: idParams,
        response: { 200: eventSales, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => getEventSales(app.ctx, requireActor(request), request.params.id),
  );

  app.post(
    '/events/:id/sales/import',
    {
      config: { access: 'manageEvents' },
      bodyLimit: maxSalesImportBytes + 64 * 1024,
      schema: {
        summary: 'Import an event’s cash book of sales (CSV or XLSX)',
        operationId: 'importEventSales',
        tags: ['sales'],
        description:
          'Multipart with a `file`: columns tanggal, stan or usaha, jumlah, and optionally saluran and catatan. All or nothing: the summary lists every row’s errors and, when there is any, nothing is recorded.',
        consumes: ['multipart/form-data'],
        params: idParams,
        querystring: salesImportQuery,
        response: {
          200: salesImportSummary,
          400: errorBody,
          403: errorBody,
          404: errorBody,
          415: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!request.isMultipart()) return fail('unsupported_media');
      let data: Buffer | null = null;
      let name = 'kas';
      try {
        for await (const part of request.parts({ limits: { fileSize: maxSalesImportBytes, files: 1 } })) {
          if (part.type === 'file') {
            data = await part.toBuffer();
            name = part.filename;
          }
        }
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          return fail(
            'validation_failed',
            { field: 'file', maxBytes: maxSalesImportBytes },
            'The file is too large.',
          );
        throw error;
      }
      if (!data) return fail('validation_failed', { field: 'file' }, 'Attach the cash book as `file`.');
      return importEventSales(
        app.ctx,
        actor,
        request.params.id,
        { data, name },
        request.query.dryRun === 'true',
      );
    },
  );
};
