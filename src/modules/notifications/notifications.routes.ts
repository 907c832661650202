import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, requireActor } from '../../lib/http.ts';
import { channelConfig } from './notifications.config.ts';
import {
  consentBody,
  consentList,
  consentQuery,
  listNotificationsQuery,
  notificationList,
  notificationTemplate,
  previewTemplateBody,
  templateParams,
  templatePreview,
  updateTemplateBody,
} from './notifications.schema.ts';
import {
  handleSmsWebhook,
  handleWhatsAppWebhook,
  listConsents,
  listNotifications,
  listTemplates,
  previewTemplate,
  recordConsent,
  updateTemplate,
  validSignature,
} from './notifications.service.ts';

const receiptAnswer = z.object({ receipts: z.number().int() }).meta({ id: 'WebhookReceipts' });

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

// The providers' callbacks: the raw body is kept, because the signature is over its bytes.
const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (request, body, done) => {
      request.rawBody = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );

  app.get(
    '/notifications/webhooks/whatsapp',
    {
      config: { access: 'public' },
      schema: {
        summary: 'WhatsApp webhook verification',
        operationId: 'verifyWhatsAppWebhook',
        tags: ['notifications'],
        description:
          'The handshake Meta does when the webhook is set up: answers `hub.challenge` when ' +
          '`hub.verify_token` equals PULIH_WHATSAPP_VERIFY_TOKEN.',
        security: [],
        querystring: z.object({
          'hub.mode': z.string().max(50).optional(),
          'hub.verify_token': z.string().max(500).optional(),
          'hub.challenge': z.string().max(500).optional(),
        }),
        response: { 200: z.string(), 403: errorBody },
      },
    },
    async (request, reply) => {
      const wa = channelConfig().whatsapp;
      const q = request.query;
      if (!wa?.verifyToken || q['hub.mode'] !== 'subscribe' || q['hub.verify_token'] !== wa.verifyToken)
        return fail('forbidden');
      reply.type('text/plain');
      return q['hub.challenge'] ?? '';
    },
  );

  app.post(
    '/notifications/webhooks/whatsapp',
    {
      config: { access: 'public' },
      schema: {
        summary: 'WhatsApp delivery receipts and replies',
        operationId: 'whatsAppWebhook',
        tags: ['notifications'],
        description:
          'Status updates (delivered, read, failed) and incoming replies from the Cloud API. ' +
          'Signed: `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with PULIH_WHATSAPP_APP_SECRET>`; ' +
          'refused with 401 otherwise. A reply STOP or BERHENTI records an opt-out.',
        security: [],
        body: z.looseObject({}),
        response: { 200: receiptAnswer, 401: errorBody },
      },
    },
    async (request) => {
      const secret = channelConfig().whatsapp?.appSecret;
      const header = request.headers['x-hub-signature-256'];
      if (
        !secret ||
        !validSignature(secret, request.rawBody ?? '', typeof header === 'string' ? header : undefined)
      )
        return fail('invalid_signature');
      return handleWhatsAppWebhook(app.ctx, request.body as never);
    },
  );

  app.post(
    '/notifications/webhooks/sms',
    {
      config: { access: 'public' },
      schema: {
        summary: 'SMS gateway delivery receipts and replies',
        operationId: 'smsWebhook',
        tags: ['notifications'],
        description:
          'JSON `{id | reference, status: delivered|failed, error?}` or `{from, text}` for a reply. ' +
          'Signed: `X-Pulih-Signature: sha256=<HMAC-SHA256 of the raw body with PULIH_SMS_WEBHOOK_SECRET>`; ' +
          'refused with 401 otherwise.',
        security: [],
        body: z.looseObject({}),
        response: { 200: receiptAnswer, 401: errorBody },
      },
    },
    async (request) => {
      const secret = channelConfig().sms?.webhookSecret;
      const header = request.headers['x-pulih-signature'];
      if (
        !secret ||
        !validSignature(secret, request.rawBody ?? '', typeof header === 'string' ? header : undefined)
      )
        return fail('invalid_signature');
      return handleSmsWebhook(app.ctx, request.body as never);
    },
  );
};

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(webhookRoutes);

  app.get(
    '/notifications',
    {
      config: { access: 'readBusinesses' },
      schema: {
        summary: 'Messages of an application or a business',
        operationId: 'listNotifications',
        tags: ['notifications'],
        description:
          'What was sent or queued for an application (`applicationId`) or a business (`businessId`): channel, ' +
          'template, status and times. A message not sent carries, for staff who may see the phone, a wa.me ' +
          'link with the same text.',
        querystring: listNotificationsQuery,
        response: { 200: notificationList, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => listNotifications(app.ctx, requireActor(request), request.query),
  );

  app.get(
    '/notification-templates',
    {
      config: { access: 'manageNotificationTemplates' },
      schema: {
        summary: 'Notification templates',
        operationId: 'listNotificationTemplates',
        tags: ['notifications'],
        description:
          'Every template key in Indonesian and English, as sent (an admin’s text or the shipped one).',
        response: { 200: z.object({ items: z.array(notificationTemplate) }), 403: errorBody },
      },
    },
    async () => ({ items: await listTemplates(app.ctx) }),
  );

  app.put(
    '/notification-templates/:key/:language',
    {
      config: { access: 'manageNotificationTemplates' },
      schema: {
        summary: 'Edit a notification template',
        operationId: 'updateNotificationTemplate',
        tags: ['notifications'],
        description:
          'Replaces the text of a template (its variables are fixed per key) and the WhatsApp template name ' +
          'it is sent as. Messages already queued keep their text.',
        params: templateParams,
        body: updateTemplateBody,
        response: { 200: notificationTemplate, 400: errorBody, 403: errorBody },
      },
    },
    async (request) =>
      updateTemplate(
        app.ctx,
        requireActor(request),
        request.params.key,
        request.params.language,
        request.body,
      ),
  );

  app.post(
    '/notification-templates/preview',
    {
      config: { access: 'manageNotificationTemplates' },
      schema: {
        summary: 'Preview a notification template',
        operationId: 'previewNotificationTemplate',
        tags: ['notifications'],
        description: 'The text with sample values, and any variable the key does not know.',
        body: previewTemplateBody,
        response: { 200: templatePreview, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => previewTemplate(app.ctx, request.body),
  );

  app.get(
    '/notification-consents',
    {
      config: { access: 'readBusinesses' },
      schema: {
        summary: 'Consent of a business owner',
        operationId: 'listNotificationConsents',
        tags: ['notifications'],
        description: 'The owner’s consent or opt-out per channel, with its source and time (UU PDP).',
        querystring: consentQuery,
        response: { 200: consentList, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => listConsents(app.ctx, requireActor(request), request.query.businessId),
  );

  app.put(
    '/notification-consents',
    {
      config: { access: 'writeBusinesses' },
      schema: {
        summary: 'Record consent or an opt-out',
        operationId: 'recordNotificationConsent',
        tags: ['notifications'],
        description:
          'Records that the owner of a business agrees to messages on a channel, or opts out. Source: ' +
          '`officer` when staff record it, `owner` when the owner does.',
        body: consentBody,
        response: { 200: consentList, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => recordConsent(app.ctx, requireActor(request), request.body),
  );
};
