import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, idParams, noStore, requireActor } from '../../lib/http.ts';
import { rekapPdf, rekapXlsx } from './aid.rekap.ts';
import {
  aidHandover,
  aidPackage,
  aidReturn,
  bulkAllocationBody,
  bulkAllocationResult,
  createMultiHandoverBody,
  createPackageBody,
  listHandoversQuery,
  listVisitsQuery,
  maxPhotoBytes,
  monitoringVisit,
  reallocateBody,
  reallocation,
  rekapQuery,
  returnBody,
  stockTotal,
  stockTotalsQuery,
  visitBody,
} from './aid.schema.ts';
import { createHandover } from './aid.service.ts';
import {
  allocateToGraduates,
  createPackage,
  getPackage,
  listHandovers,
  listPackages,
  listReturns,
  listStockTotals,
  listVisits,
  reallocate,
  recordReturn,
  recordVisit,
} from './aid-ops.service.ts';

const tags = ['aid'];
const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
// Photos and drawn signatures arrive base64-encoded, above the server's default body limit.
const photoBodyLimit = Math.ceil((maxPhotoBytes * 4) / 3) + 2 * 1024 * 1024;

export async function registerAidOpsRoutes(parent: FastifyInstance) {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/aid/stock/totals',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Stock totals per SOPD and budget year',
        operationId: 'listAidStockTotals',
        tags,
        querystring: stockTotalsQuery,
        response: { 200: z.object({ items: z.array(stockTotal) }), 400: errorBody },
      },
    },
    async (request) => ({ items: await listStockTotals(app.ctx, requireActor(request), request.query) }),
  );

  app.get(
    '/aid/packages',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'List aid packages',
        operationId: 'listAidPackages',
        tags,
        querystring: z.object({ budgetYear: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: z.object({ items: z.array(aidPackage) }), 400: errorBody },
      },
    },
    async (request) => ({ items: await listPackages(app.ctx, requireActor(request), request.query) }),
  );

  app.post(
    '/aid/packages',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Build an aid package from stock lines',
        operationId: 'createAidPackage',
        tags,
        body: createPackageBody,
        response: { 201: aidPackage, ...errors },
      },
    },
    async (request, reply) => {
      const made = await createPackage(app.ctx, requireActor(request), request.body);
      reply.status(201);
      return made;
    },
  );

  app.get(
    '/aid/packages/:id',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Get one aid package',
        operationId: 'getAidPackage',
        tags,
        params: idParams,
        response: { 200: aidPackage, 404: errorBody },
      },
    },
    async (request) => getPackage(app.ctx, requireActor(request), request.params.id),
  );

  app.post(
    '/aid/allocations/bulk',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Allocate to every graduate of a program',
        operationId: 'bulkAidAllocation',
        tags,
        description:
          'One unit of a stock line (or one package) to every graduate of the program not yet given it, while stock lasts; the others are listed with the reason.',
        body: bulkAllocationBody,
        response: { 200: bulkAllocationResult, ...errors },
      },
    },
    async (request) => allocateToGraduates(app.ctx, requireActor(request), request.body),
  );

  app.get(
    '/aid/handovers',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'List handovers',
        operationId: 'listAidHandovers',
        tags,
        querystring: listHandoversQuery,
        response: {
          200: z.object({ items: z.array(aidHandover), nextCursor: z.string().nullable() }),
          400: errorBody,
        },
      },
    },
    async (request) => {
      const { limit, businessId } = request.query;
      return listHandovers(app.ctx, requireActor(request), { businessId }, limit);
    },
  );

  app.post(
    '/aid/handovers',
    {
      config: { access: 'writeAid', idempotent: true },
      bodyLimit: photoBodyLimit,
      schema: {
        summary: 'Hand over several items to one business on one BAST',
        operationId: 'createAidHandover',
        tags,
        description:
          'Every allocation listed must be planned, of one business and one SOPD. A resend with the same clientKey answers the handover already recorded (200).',
        body: createMultiHandoverBody,
        response: { 200: aidHandover, 201: aidHandover, ...errors, 413: errorBody, 415: errorBody },
      },
    },
    async (request, reply) => {
      const { handover, duplicate } = await createHandover(app.ctx, requireActor(request), {
        ...request.body,
        place: request.body.place,
      });
      reply.status(duplicate ? 200 : 201);
      return handover;
    },
  );

  app.get(
    '/aid/handovers/:id/returns',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'List the returns and write-offs of a handover',
        operationId: 'listAidReturns',
        tags,
        params: idParams,
        response: { 200: z.object({ items: z.array(aidReturn) }), 404: errorBody },
      },
    },
    async (request) => ({ items: await listReturns(app.ctx, requireActor(request), request.params.id) }),
  );

  app.post(
    '/aid/handovers/:id/returns',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Return or write off an item of a handover',
        operationId: 'recordAidReturn',
        tags,
        description:
          'Condition baik or rusak_ringan puts the item back in stock; rusak_berat or hilang writes it off. Once per item.',
        params: idParams,
        body: returnBody,
        response: { 201: aidReturn, ...errors },
      },
    },
    async (request, reply) => {
      const made = await recordReturn(app.ctx, requireActor(request), request.params.id, request.body);
      reply.status(201);
      return made;
    },
  );

  app.post(
    '/aid/returns/:id/reallocate',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Give a returned item to another graduate',
        operationId: 'reallocateAidReturn',
        tags,
        params: idParams,
        body: reallocateBody,
        response: { 201: reallocation, ...errors },
      },
    },
    async (request, reply) => {
      const made = await reallocate(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.body.businessId,
      );
      reply.status(201);
      return made;
    },
  );

  app.post(
    '/aid/handovers/:id/visits',
    {
      config: { access: 'writeAid' },
      bodyLimit: photoBodyLimit,
      schema: {
        summary: 'Record a monitoring visit after a handover',
        operationId: 'recordAidVisit',
        tags,
        params: idParams,
        body: visitBody,
        response: { 201: monitoringVisit, ...errors, 413: errorBody, 415: errorBody },
      },
    },
    async (request, reply) => {
      const made = await recordVisit(app.ctx, requireActor(request), request.params.id, request.body);
      reply.status(201);
      return made;
    },
  );

  app.get(
    '/aid/visits',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'List monitoring visits, per handover or business',
        operationId: 'listAidVisits',
        tags,
        querystring: listVisitsQuery,
        response: { 200: z.object({ items: z.array(monitoringVisit) }), 400: errorBody },
      },
    },
    async (request) => listVisits(app.ctx, requireActor(request), request.query),
  );

  app.get(
    '/aid/rekap.xlsx',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Rekap penyaluran bantuan as XLSX',
        operationId: 'getAidRekapXlsx',
        tags,
        querystring: rekapQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      const { data, filename } = await rekapXlsx(app.ctx, requireActor(request), request.query);
      noStore(reply);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(data);
    },
  );

  app.get(
    '/aid/rekap.pdf',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Rekap penyaluran bantuan as PDF',
        operationId: 'getAidRekapPdf',
        tags,
        querystring: rekapQuery,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => {
      const { pdf, filename } = await rekapPdf(app.ctx, requireActor(request), request.query);
      noStore(reply);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${filename}"`)
        .send(pdf);
    },
  );
}
