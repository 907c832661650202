import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, idParams, noStore, requireActor } from '../../lib/http.ts';
import {
  programPhoto,
  programPhotoBody,
  programPhotoParams,
  reportTexts,
  reportTextsBody,
} from './activity-report.schema.ts';
import {
  activityReportPdf,
  addProgramPhoto,
  getProgramReportTexts,
  listPhotosOfProgram,
  removeProgramPhoto,
  updateProgramReportTexts,
} from './activity-report.service.ts';
import { annualRecapXlsx } from './annual-recap.ts';
import { getRecapYears } from './recap.service.ts';

const tags = ['reports'];
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The documents the office files: the Laporan Kegiatan of a program (its texts and photos are
// edited here) and the annual recap of every program.
export const activityReportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/programs/:id/laporan-kegiatan.pdf',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Print the Laporan Kegiatan',
        operationId: 'printActivityReport',
        tags,
        description:
          'The activity report of the program as a PDF: background, legal basis, schedule, participants per kecamatan, attendance, aid, outcomes so far, photos and the signature block. No names or NIK.',
        params: idParams,
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await activityReportPdf(app.ctx, requireActor(request), request.params.id);
      noStore(reply);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${fileName}"`)
        .send(pdf);
    },
  );

  app.get(
    '/programs/:id/report-texts',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Get the texts of the Laporan Kegiatan',
        operationId: 'getActivityReportTexts',
        tags,
        params: idParams,
        response: { 200: reportTexts, 404: errorBody },
      },
    },
    async (request) => getProgramReportTexts(app.ctx, request.params.id),
  );

  app.put(
    '/programs/:id/report-texts',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Set the texts of the Laporan Kegiatan',
        operationId: 'setActivityReportTexts',
        tags,
        params: idParams,
        body: reportTextsBody,
        response: { 200: reportTexts, 400: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      updateProgramReportTexts(app.ctx, requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/programs/:id/photos',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'List the photos of a program',
        operationId: 'listProgramPhotos',
        tags,
        params: idParams,
        response: { 200: z.object({ items: z.array(programPhoto) }), 404: errorBody },
      },
    },
    async (request) => ({ items: await listPhotosOfProgram(app.ctx, request.params.id) }),
  );

  app.post(
    '/programs/:id/photos',
    {
      config: { access: 'writePrograms' },
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        summary: 'Add a photo of the event to a program',
        operationId: 'addProgramPhoto',
        tags,
        params: idParams,
        body: programPhotoBody,
        response: { 201: programPhoto, 400: errorBody, 404: errorBody, 413: errorBody, 415: errorBody },
      },
    },
    async (request, reply) => {
      const photo = await addProgramPhoto(app.ctx, requireActor(request), request.params.id, request.body);
      return reply.status(201).send(photo);
    },
  );

  app.delete(
    '/programs/:id/photos/:photoId',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Remove a photo of a program',
        operationId: 'deleteProgramPhoto',
        tags,
        params: programPhotoParams,
        response: { 204: z.null(), 404: errorBody },
      },
    },
    async (request, reply) => {
      await removeProgramPhoto(app.ctx, requireActor(request), request.params.id, request.params.photoId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/reports/annual/years',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'List the years the annual recap can cover',
        operationId: 'listAnnualRecapYears',
        tags,
        description:
          'The years in which a program (not archived) has its last day, latest first: the recap’s year picker starts on the first.',
        response: { 200: z.object({ years: z.array(z.number().int()) }), 401: errorBody, 403: errorBody },
      },
    },
    async () => ({ years: await getRecapYears(app.ctx) }),
  );

  app.get(
    '/reports/annual.xlsx',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Download the annual recap as XLSX',
        operationId: 'getAnnualRecapXlsx',
        tags,
        description:
          'Every program ending in the year: participants, graduates, aid and outcomes per program and kecamatan; aid per SOPD and kecamatan. A kecamatan office gets its own kecamatan.',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        produces: [xlsxType],
      },
    },
    async (request, reply) => {
      const { data, filename } = await annualRecapXlsx(app.ctx, requireActor(request), request.query.year);
      noStore(reply);
      return reply
        .type(xlsxType)
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(data);
    },
  );
};
