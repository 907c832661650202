import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, idParams, noStore, page, requireActor } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { exportProductsForMarketplace } from './catalog.export.ts';
import {
  catalogFacets,
  createProductBody,
  listProductsQuery,
  maxPhotoBytes,
  photoKeyParams,
  productItem,
  productPhotoBody,
  publicProduct,
  publicProductsQuery,
  returnProductBody,
  updateProductBody,
} from './catalog.schema.ts';
import {
  addProductPhoto,
  approveProduct,
  createProduct,
  getProductItem,
  getProductPhoto,
  getPublicProduct,
  getPublicProductPhoto,
  listProducts,
  listPublicProducts,
  removeProductPhoto,
  returnProduct,
  setProductPhoto,
  submitProduct,
  updateProduct,
} from './catalog.service.ts';

const searchPage = page(publicProduct).extend({
  suggestion: z.string().nullable().describe('“Mungkin maksud Anda …”: the query with typos corrected'),
  facets: catalogFacets.optional(),
});

// Base64 inflates by 4/3; a little more for the JSON around it and a data: URL prefix.
// Anything larger is refused by Fastify before it is read (413 photo_too_large).
const photoBodyLimit = Math.ceil(maxPhotoBytes / 3) * 4 + 64 * 1024;

function sendPhoto(reply: FastifyReply, photo: { bytes: Buffer; contentType: string }, cacheControl: string) {
  return reply
    .type(photo.contentType)
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff')
    .send(photo.bytes);
}

export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/catalog/products',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Search the public catalogue',
        operationId: 'listCatalogProducts',
        tags: ['catalog'],
        description:
          'The public catalogue: approved, published products of businesses that have not closed. No login. With `q`: by relevance (an exact name first, then name words, then description, category and business), Indonesian word forms, typos corrected, kecamatan and kelurahan names as places.',
        security: [],
        querystring: publicProductsQuery,
        response: { 200: searchPage, 400: errorBody },
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return listPublicProducts(app.ctx, filter, { limit, cursor }, publicBaseUrl(app.ctx, request));
    },
  );

  app.get(
    '/catalog/products/:id',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Get one public product',
        operationId: 'getCatalogProduct',
        tags: ['catalog'],
        security: [],
        params: idParams,
        response: { 200: publicProduct, 404: errorBody },
      },
    },
    async (request) => getPublicProduct(app.ctx, request.params.id, publicBaseUrl(app.ctx, request)),
  );

  app.get(
    '/catalog/products/:id/photo',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Get a public product’s photo',
        operationId: 'getCatalogProductPhoto',
        tags: ['catalog'],
        description: 'The product photo (image/jpeg, image/png or image/webp).',
        security: [],
        params: idParams,
        response: { 404: errorBody },
      },
    },
    async (request, reply) =>
      sendPhoto(reply, await getPublicProductPhoto(app.ctx, request.params.id), 'public, max-age=300'),
  );

  app.get(
    '/products',
    {
      config: { access: 'readProducts' },
      schema: {
        summary: 'List products',
        operationId: 'listProducts',
        tags: ['catalog'],
        description:
          'Products including unpublished ones; an owner sees only their own businesses’ products.',
        querystring: listProductsQuery,
        response: { 200: page(productItem), 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { limit, cursor, businessId, status } = request.query;
      return listProducts(
        app.ctx,
        actor,
        { businessId, status },
        { limit, cursor },
        publicBaseUrl(app.ctx, request),
      );
    },
  );

  app.get(
    '/products/export',
    {
      config: { access: 'readAllProducts' },
      exposeHeadRoute: false,
      schema: {
        summary: 'Export listed products for e-Katalog / Toko Daring onboarding',
        operationId: 'exportProductsForMarketplace',
        tags: ['catalog'],
        description:
          'The listed products of the businesses in the caller’s scope as an XLSX file, in the fields a Dinas ' +
          'fills in to onboard businesses to the local government’s e-Katalog or Toko Daring: name, ' +
          'specification, price, unit, category, seller and NIB, kecamatan, photo URLs and the product page. ' +
          'An export to work from: nothing is sent to those systems.',
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const file = exportProductsForMarketplace(app.ctx, actor, publicBaseUrl(app.ctx, request));
      noStore(reply);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );

  app.post(
    '/products',
    {
      config: { access: 'writeProducts' },
      schema: {
        summary: 'Add a product',
        operationId: 'createProduct',
        tags: ['catalog'],
        body: createProductBody,
        response: { 201: productItem, 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      reply.status(201);
      return createProduct(app.ctx, actor, request.body, publicBaseUrl(app.ctx, request));
    },
  );

  app.get(
    '/products/:id',
    {
      config: { access: 'readProducts' },
      schema: {
        summary: 'Get one product',
        operationId: 'getProduct',
        tags: ['catalog'],
        params: idParams,
        response: { 200: productItem, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getProductItem(app.ctx, actor, request.params.id, publicBaseUrl(app.ctx, request));
    },
  );

  app.patch(
    '/products/:id',
    {
      config: { access: 'writeProducts' },
      schema: {
        summary: 'Change a product',
        operationId: 'updateProduct',
        tags: ['catalog'],
        params: idParams,
        body: updateProductBody,
        response: { 200: productItem, 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return updateProduct(app.ctx, actor, request.params.id, request.body, publicBaseUrl(app.ctx, request));
    },
  );

  app.put(
    '/products/:id/photo',
    {
      config: { access: 'writeProducts' },
      bodyLimit: photoBodyLimit,
      schema: {
        summary: 'Upload a product photo',
        operationId: 'putProductPhoto',
        tags: ['catalog'],
        description: 'JSON {contentType, dataBase64}; JPEG, PNG or WebP, at most 3 MB decoded.',
        params: idParams,
        body: productPhotoBody,
        response: {
          200: productItem,
          400: errorBody,
          403: errorBody,
          404: errorBody,
          413: errorBody,
          415: errorBody,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return setProductPhoto(
        app.ctx,
        actor,
        request.params.id,
        request.body,
        publicBaseUrl(app.ctx, request),
      );
    },
  );

  app.get(
    '/products/:id/photo',
    {
      config: { access: 'readProducts' },
      schema: {
        summary: 'Get a product photo',
        operationId: 'getProductPhoto',
        tags: ['catalog'],
        description: 'The photo of any product the caller may see, published or not.',
        params: idParams,
        response: { 404: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      return sendPhoto(
        reply,
        await getProductPhoto(app.ctx, actor, request.params.id),
        'private, max-age=300',
      );
    },
  );

  const photoResponse = {
    200: productItem,
    400: errorBody,
    403: errorBody,
    404: errorBody,
    409: errorBody,
    413: errorBody,
    415: errorBody,
  };

  app.post(
    '/products/:id/photos',
    {
      config: { access: 'writeProducts' },
      bodyLimit: photoBodyLimit,
      schema: {
        summary: 'Add a product photo',
        operationId: 'addProductPhoto',
        tags: ['catalog'],
        description:
          'JSON {contentType, dataBase64}; JPEG, PNG or WebP, at most 3 MB. Stored as files with a thumbnail, card, large and 1200×630 preview variant; at most 8 photos.',
        params: idParams,
        body: productPhotoBody,
        response: photoResponse,
      },
    },
    async (request) =>
      addProductPhoto(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.body,
        publicBaseUrl(app.ctx, request),
      ),
  );

  app.delete(
    '/products/:id/photos/:key',
    {
      config: { access: 'writeProducts' },
      schema: {
        summary: 'Remove a product photo',
        operationId: 'removeProductPhoto',
        tags: ['catalog'],
        params: photoKeyParams,
        response: { 200: productItem, 400: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      removeProductPhoto(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.params.key,
        publicBaseUrl(app.ctx, request),
      ),
  );

  const curationResponse = { 200: productItem, 400: errorBody, 404: errorBody, 409: errorBody };

  app.post(
    '/products/:id/submit',
    {
      config: { access: 'writeProducts' },
      schema: {
        summary: 'Submit a product for review',
        operationId: 'submitProduct',
        tags: ['catalog'],
        description: 'A draft or returned product goes to the office’s curation queue.',
        params: idParams,
        response: curationResponse,
      },
    },
    async (request) =>
      submitProduct(app.ctx, requireActor(request), request.params.id, publicBaseUrl(app.ctx, request)),
  );

  app.post(
    '/products/:id/approve',
    {
      config: { access: 'curateProducts' },
      schema: {
        summary: 'Approve a product for the public catalogue',
        operationId: 'approveProduct',
        tags: ['catalog'],
        params: idParams,
        response: curationResponse,
      },
    },
    async (request) =>
      approveProduct(app.ctx, requireActor(request), request.params.id, publicBaseUrl(app.ctx, request)),
  );

  app.post(
    '/products/:id/return',
    {
      config: { access: 'curateProducts' },
      schema: {
        summary: 'Return a product to its owner with a note',
        operationId: 'returnProduct',
        tags: ['catalog'],
        params: idParams,
        body: returnProductBody,
        response: curationResponse,
      },
    },
    async (request) =>
      returnProduct(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.body.note,
        publicBaseUrl(app.ctx, request),
      ),
  );
};
