import { z } from 'zod';
import { eventKinds } from '../../domain/enums.ts';

// The web app imports these, so this file depends on zod (and the enums) only.

export const eventKind = z.enum(eventKinds);

// "a 12", " A-12 " → "A-12": booths are compared as printed on the floor plan.
export const boothNumber = z
  .string()
  .trim()
  .max(20)
  .transform((s) => s.replace(/\s+/g, ' ').toUpperCase())
  .nullish()
  .describe('The booth (stan) number, unique within the event');

const eventFields = {
  name: z.string().trim().min(3).max(200),
  kind: eventKind,
  startDate: z.iso.date(),
  endDate: z.iso.date(),
  venue: z.string().trim().min(2).max(300),
  description: z.string().trim().max(5000).nullish(),
};

export const createEventBody = z
  .object(eventFields)
  .refine((e) => e.endDate >= e.startDate, { message: 'endDate is before startDate', path: ['endDate'] })
  .meta({ id: 'CreateEvent' });

export const updateEventBody = z.object(eventFields).partial().meta({ id: 'UpdateEvent' });

export const listEventsQuery = z.object({
  kind: eventKind.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const participantBody = z
  .object({ businessId: z.uuid(), booth: boothNumber })
  .meta({ id: 'AddEventParticipant' });

export const participantUpdateBody = z.object({ booth: boothNumber }).meta({ id: 'UpdateEventParticipant' });

export const participantParams = z.object({ id: z.uuid(), businessId: z.uuid() });

export const eventParticipant = z
  .object({
    businessId: z.uuid(),
    businessName: z.string(),
    ownerName: z.string(),
    kecamatan: z.string(),
    kecamatanName: z.string().nullable(),
    booth: z.string().nullable(),
  })
  .meta({ id: 'EventParticipant' });

export const eventItem = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: eventKind,
    startDate: z.string(),
    endDate: z.string(),
    venue: z.string(),
    description: z.string().nullable(),
    participantCount: z.number(),
    publicUrl: z.string().describe('The public event page, /acara/{id}'),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Event' });

export const eventDetail = eventItem
  .extend({ participants: z.array(eventParticipant) })
  .meta({ id: 'EventDetail' });

export const businessEvent = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: eventKind,
    startDate: z.string(),
    endDate: z.string(),
    venue: z.string(),
    booth: z.string().nullable(),
  })
  .meta({ id: 'BusinessEvent' });

export const attendanceQuery = z.object({
  date: z.iso.date().optional().describe('The event day the list is for; the first day by default'),
});

export type CreateEventBody = z.infer<typeof createEventBody>;
export type UpdateEventBody = z.infer<typeof updateEventBody>;
export type ParticipantBody = z.infer<typeof participantBody>;
export type EventItem = z.infer<typeof eventItem>;
export type EventDetail = z.infer<typeof eventDetail>;
export type BusinessEvent = z.infer<typeof businessEvent>;
export type EventParticipant = z.infer<typeof eventParticipant>;
