import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  consentBody,
  NotificationItem,
  NotificationTemplate,
  previewTemplateBody,
  updateTemplateBody,
} from '../../../../src/modules/notifications/notifications.schema';
import { api, query } from '../../lib/api';
import type { Wire } from '../../lib/types';

export type Notification = Wire<NotificationItem>;
export type Template = Wire<NotificationTemplate>;
export type Consent = {
  channel: 'whatsapp' | 'sms' | 'email';
  granted: boolean;
  source: string;
  address: string | null;
  recordedAt: string;
};

// The messages of an application or a business (GET /notifications).
export function useNotificationsQuery(by: { applicationId?: string; businessId?: string }) {
  return useQuery({
    queryKey: ['notifications', by],
    queryFn: ({ signal }) =>
      api<{ items: Notification[] }>(`/notifications${query(by)}`, { signal }).then((r) => r.items),
  });
}

export function useTemplatesQuery() {
  return useQuery({
    queryKey: ['notification-templates'],
    queryFn: ({ signal }) =>
      api<{ items: Template[] }>('/notification-templates', { signal }).then((r) => r.items),
  });
}

export function useSaveTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { key: string; language: string; body: z.input<typeof updateTemplateBody> }) =>
      api<Template>(`/notification-templates/${input.key}/${input.language}`, {
        method: 'PUT',
        body: input.body,
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['notification-templates'] }),
  });
}

export function usePreviewTemplate() {
  return useMutation({
    mutationFn: (body: z.input<typeof previewTemplateBody>) =>
      api<{ text: string; unknownVariables: string[] }>('/notification-templates/preview', {
        method: 'POST',
        body,
      }),
  });
}

export function useConsentsQuery(businessId: string) {
  return useQuery({
    queryKey: ['notification-consents', businessId],
    queryFn: ({ signal }) =>
      api<{ items: Consent[] }>(`/notification-consents${query({ businessId })}`, { signal }).then(
        (r) => r.items,
      ),
  });
}

export function useRecordConsent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof consentBody>) =>
      api<{ items: Consent[] }>('/notification-consents', { method: 'PUT', body }),
    onSuccess: (answer, body) =>
      client.setQueryData(['notification-consents', body.businessId], answer.items),
  });
}
