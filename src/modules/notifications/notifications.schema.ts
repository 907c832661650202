import { z } from 'zod';

export const notificationChannels = ['whatsapp', 'sms', 'email'] as const;
export const notificationChannel = z.enum(notificationChannels);
export type NotificationChannel = z.infer<typeof notificationChannel>;

export const notificationStatuses = ['queued', 'sent', 'delivered', 'failed', 'not_sent'] as const;
export const notificationStatus = z
  .enum(notificationStatuses)
  .describe('queued; sent; delivered (receipt); failed (after the last retry); not_sent (see `reason`)');

export const templateKeys = [
  'application_received',
  'enrolled',
  'waitlisted',
  'promoted',
  'withdrawn',
  'session_reminder',
  'session_changed',
  'session_cancelled',
  'certificate_issued',
  'handover_scheduled',
  'followup_requested',
  'complaint_answered',
] as const;
export const templateKey = z.enum(templateKeys);
export type TemplateKey = z.infer<typeof templateKey>;

export const templateLanguage = z.enum(['id', 'en']);
export type TemplateLanguage = z.infer<typeof templateLanguage>;

export const consentSources = ['form', 'officer', 'owner', 'reply'] as const;

export const listNotificationsQuery = z
  .object({
    applicationId: z.uuid().optional(),
    businessId: z.uuid().optional(),
  })
  .describe('One of applicationId or businessId');

export const notificationItem = z
  .object({
    id: z.uuid(),
    channel: notificationChannel,
    template: templateKey,
    language: templateLanguage,
    status: notificationStatus,
    reason: z
      .string()
      .nullable()
      .describe('Why not_sent (no_channel, no_consent, opted_out, no_recipient) or the last error'),
    recipient: z.string().describe('Masked phone number or e-mail address'),
    text: z.string(),
    clickToChatUrl: z
      .string()
      .nullable()
      .describe('wa.me link with the same text, for a message not sent (staff who may see the phone)'),
    applicationId: z.uuid().nullable(),
    programId: z.uuid().nullable(),
    attempts: z.number().int(),
    createdAt: z.date(),
    nextAttemptAt: z.date().nullable(),
    sentAt: z.date().nullable(),
    deliveredAt: z.date().nullable(),
    failedAt: z.date().nullable(),
  })
  .meta({ id: 'Notification' });
export type NotificationItem = z.infer<typeof notificationItem>;

export const notificationList = z
  .object({ items: z.array(notificationItem) })
  .meta({ id: 'NotificationList' });

export const notificationTemplate = z
  .object({
    key: templateKey,
    language: templateLanguage,
    subject: z.string(),
    body: z.string(),
    whatsappName: z.string().describe('Name of the approved WhatsApp template this key is sent as'),
    variables: z
      .array(z.string())
      .describe('Variables the body may use, as {{name}}; WhatsApp parameters in this order'),
    edited: z.boolean().describe('false: the shipped text'),
  })
  .meta({ id: 'NotificationTemplate' });
export type NotificationTemplate = z.infer<typeof notificationTemplate>;

export const templateParams = z.object({ key: templateKey, language: templateLanguage });

export const updateTemplateBody = z
  .object({
    subject: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(1000),
    whatsappName: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _')
      .describe('Meta template names: lowercase letters, digits and _'),
  })
  .meta({ id: 'UpdateNotificationTemplate' });

export const previewTemplateBody = z
  .object({
    key: templateKey,
    language: templateLanguage.default('id'),
    body: z.string().max(1000).optional().describe('An unsaved text to preview; else the stored one'),
  })
  .meta({ id: 'PreviewNotificationTemplate' });

export const templatePreview = z
  .object({ text: z.string(), unknownVariables: z.array(z.string()) })
  .meta({ id: 'NotificationTemplatePreview' });

export const consentQuery = z.object({ businessId: z.uuid() });

export const consentBody = z
  .object({
    businessId: z.uuid().describe('The business whose owner consents or opts out'),
    channel: notificationChannel,
    granted: z.boolean(),
    address: z.email().max(200).nullish().describe('E-mail address, for the email channel'),
  })
  .meta({ id: 'NotificationConsentBody' });

export const consentItem = z
  .object({
    channel: notificationChannel,
    granted: z.boolean(),
    source: z.enum(consentSources),
    address: z.string().nullable(),
    recordedAt: z.date(),
  })
  .meta({ id: 'NotificationConsent' });

export const consentList = z.object({ items: z.array(consentItem) }).meta({ id: 'NotificationConsentList' });
