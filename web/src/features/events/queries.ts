import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  BusinessEvent,
  createEventBody,
  EventDetail,
  EventItem,
  EventParticipant,
  updateEventBody,
} from '../../../../src/modules/events/events.schema';
import { api } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { Wire } from '../../lib/types';

export type PromotionEvent = Wire<EventItem>;
export type PromotionEventDetail = Wire<EventDetail>;
export type { BusinessEvent, EventParticipant };

export function useEventsQuery() {
  return usePagedQuery<PromotionEvent>(['events', 'list'], '/events?limit=30');
}

export function useEventQuery(id: string) {
  return useQuery({
    queryKey: ['events', id],
    queryFn: ({ signal }) => api<PromotionEventDetail>(`/events/${id}`, { signal }),
  });
}

export function useEventsOfBusinessQuery(businessId: string | null) {
  return useQuery({
    queryKey: ['events', 'of-business', businessId],
    queryFn: ({ signal }) =>
      api<{ items: BusinessEvent[] }>(`/businesses/${businessId}/events`, { signal }).then((r) => r.items),
    enabled: businessId !== null,
  });
}

function useInvalidateEvents() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ['events'] });
}

export function useCreateEvent() {
  const invalidate = useInvalidateEvents();
  return useMutation({
    mutationFn: (body: z.input<typeof createEventBody>) =>
      api<PromotionEvent>('/events', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateEvent(id: string) {
  const invalidate = useInvalidateEvents();
  return useMutation({
    mutationFn: (body: z.input<typeof updateEventBody>) =>
      api<PromotionEvent>(`/events/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useAddParticipant(id: string) {
  const invalidate = useInvalidateEvents();
  return useMutation({
    mutationFn: (body: { businessId: string; booth: string | null }) =>
      api<EventParticipant>(`/events/${id}/participants`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useSetBooth(id: string) {
  const invalidate = useInvalidateEvents();
  return useMutation({
    mutationFn: ({ businessId, booth }: { businessId: string; booth: string | null }) =>
      api<EventParticipant>(`/events/${id}/participants/${businessId}`, { method: 'PATCH', body: { booth } }),
    onSuccess: invalidate,
  });
}

export function useRemoveParticipant(id: string) {
  const invalidate = useInvalidateEvents();
  return useMutation({
    mutationFn: (businessId: string) =>
      api<null>(`/events/${id}/participants/${businessId}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}
