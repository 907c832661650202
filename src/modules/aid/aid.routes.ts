import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, idParams, noStore, page, requireActor } from '../../lib/http.ts';
import {
  aidAllocation,
  aidHandover,
  aidStockItem,
  createAidStockBody,
  createAllocationBody,
  createHandoverBody,
  listAidStockQuery,
  listAllocationsQuery,
  maxPhotoBytes,
  scheduleHandoverBody,
  updateAidStockBody,
} from './aid.schema.ts';
import {
  cancelAllocation,
  createAllocation,
  createStock,
  getAllocationItem,
  getHandoverItem,
  getHandoverPhoto,
  getStockItem,
  listAllocations,
  listStock,
  markReceived,
  recordHandover,
  renderBastPdf,
  scheduleHandover,
  updateStock,
} from './aid.service.ts';
import { registerAidOpsRoutes } from './aid-ops.routes.ts';

const tags = ['aid'];
const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export const aidRoutes: FastifyPluginAsyncZod = async (app) => {
  // Cohorts, packages, multi-item handovers, returns, visits and the rekap (issue 10).
  await registerAidOpsRoutes(app);

  app.get(
    '/aid/stock',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'List aid stock',
        operationId: 'listAidStock',
        tags,
        querystring: listAidStockQuery,
        response: { 200: page(aidStockItem), 400: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { limit, cursor, ...filter } = request.query;
      return listStock(app.ctx, actor, filter, { limit, cursor });
    },
  );

  app.post(
    '/aid/stock',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Record aid stock',
        operationId: 'createAidStock',
        tags,
        body: createAidStockBody,
        response: { 201: aidStockItem, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const stock = await createStock(app.ctx, actor, request.body);
      reply.status(201);
      return stock;
    },
  );

  app.get(
    '/aid/stock/:id',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Get one aid stock item',
        operationId: 'getAidStock',
        tags,
        params: idParams,
        response: { 200: aidStockItem, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getStockItem(app.ctx, actor, request.params.id);
    },
  );

  app.patch(
    '/aid/stock/:id',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Change an aid stock item',
        operationId: 'updateAidStock',
        tags,
        params: idParams,
        body: updateAidStockBody,
        response: { 200: aidStockItem, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return updateStock(app.ctx, actor, request.params.id, request.body);
    },
  );

  app.get(
    '/aid/allocations',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'List aid allocations',
        operationId: 'listAidAllocations',
        tags,
        querystring: listAllocationsQuery,
        response: { 200: page(aidAllocation), 400: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { limit, cursor, ...filter } = request.query;
      return listAllocations(app.ctx, actor, filter, { limit, cursor });
    },
  );

  app.post(
    '/aid/allocations',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Allocate an aid item to a business',
        operationId: 'createAidAllocation',
        tags,
        description: 'Takes the quantity from stock; never more than what remains.',
        body: createAllocationBody,
        response: { 201: aidAllocation, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const allocation = await createAllocation(app.ctx, actor, request.body);
      reply.status(201);
      return allocation;
    },
  );

  app.get(
    '/aid/allocations/:id',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Get one aid allocation',
        operationId: 'getAidAllocation',
        tags,
        params: idParams,
        response: { 200: aidAllocation, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getAllocationItem(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/aid/allocations/:id/schedule',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Schedule the handover of an aid allocation',
        operationId: 'scheduleAidHandover',
        tags,
        description:
          'Only a planned allocation: sets (or moves) the planned handover date and place, and tells the ' +
          'recipient (notification handover_scheduled, once per date and place).',
        params: idParams,
        body: scheduleHandoverBody,
        response: { 200: aidAllocation, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return scheduleHandover(app.ctx, actor, request.params.id, request.body);
    },
  );

  app.post(
    '/aid/allocations/:id/cancel',
    {
      config: { access: 'writeAid' },
      schema: {
        summary: 'Cancel an aid allocation',
        operationId: 'cancelAidAllocation',
        tags,
        description: 'Only a planned allocation; its quantity returns to stock.',
        params: idParams,
        response: { 200: aidAllocation, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return cancelAllocation(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/aid/allocations/:id/handover',
    {
      config: { access: 'writeAid', idempotent: true },
      // A photo of up to 3 MB arrives base64-encoded, above the server's default body limit.
      bodyLimit: Math.ceil((maxPhotoBytes * 4) / 3) + 64 * 1024,
      schema: {
        summary: 'Record the handover of an allocation',
        operationId: 'recordAidHandover',
        tags,
        description: 'Records the handover (BAST) of a planned allocation; the giver is the acting user.',
        params: idParams,
        body: createHandoverBody,
        response: { 201: aidHandover, ...errors, 413: errorBody, 415: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const handover = await recordHandover(app.ctx, actor, request.params.id, request.body);
      reply.status(201);
      return handover;
    },
  );

  app.post(
    '/aid/allocations/:id/received',
    {
      config: { access: 'confirmReceipt' },
      schema: {
        summary: 'Mark an allocation as received',
        operationId: 'markAidReceived',
        tags,
        description:
          'Confirms receipt of a handed-over allocation: by the SOPD, or by the owner of the business.',
        params: idParams,
        response: { 200: aidAllocation, ...errors },
      },
    },
    async (request) => {
      // Owners hold no aid capability; the service lets them confirm their own business's aid only.
      const actor = requireActor(request);
      return markReceived(app.ctx, actor, request.params.id);
    },
  );

  app.get(
    '/aid/handovers/:id',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Get one handover',
        operationId: 'getAidHandover',
        tags,
        params: idParams,
        response: { 200: aidHandover, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getHandoverItem(app.ctx, actor, request.params.id);
    },
  );

  app.get(
    '/aid/handovers/:id/bast.pdf',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Print the handover’s BAST',
        operationId: 'getAidHandoverBast',
        tags,
        description:
          'The BAST as an A4 PDF. It carries the recipient’s full NIK, so every download is logged.',
        params: idParams,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { pdf, filename } = await renderBastPdf(app.ctx, actor, request.params.id);
      noStore(reply);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${filename}"`)
        .send(pdf);
    },
  );

  app.get(
    '/aid/handovers/:id/photo',
    {
      config: { access: 'readAid' },
      schema: {
        summary: 'Get the handover photo',
        operationId: 'getAidHandoverPhoto',
        tags,
        params: idParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { data, contentType } = await getHandoverPhoto(app.ctx, actor, request.params.id);
      reply.header('cache-control', 'private, no-store');
      return reply.type(contentType).send(data);
    },
  );
};
