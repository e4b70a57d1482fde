import { z } from 'zod';
import type { ContactEvent } from '../store/event-queue.js';

/** HubSpot sends at most 100 events per webhook request. */
export const MAX_EVENTS_PER_REQUEST = 100;
export const EMAIL_PROPERTY = 'email';
/** HubSpot's object type id for contacts, carried by the generic `object.*` events. */
export const CONTACT_OBJECT_TYPE_ID = '0-1';

const IdSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);

/** One event of a HubSpot app webhook delivery (fields Mailprobe reads; others are allowed and ignored). */
export const WebhookEventSchema = z.looseObject({
  eventId: IdSchema,
  subscriptionType: z.string().max(100),
  objectId: IdSchema,
  occurredAt: z.number().int().nonnegative(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().max(1000).nullable().optional(),
  /** Present on the developer platform's generic `object.*` events: `0-1` for contacts. */
  objectTypeId: z.string().max(40).optional(),
  portalId: z.number().int().optional(),
  attemptNumber: z.number().int().optional(),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

export const WebhookBodySchema = z.array(WebhookEventSchema).min(1).max(MAX_EVENTS_PER_REQUEST);

/**
 * Keeps the events Mailprobe acts on: contact creations and changes of `email`, in both families HubSpot
 * sends — the legacy `contact.creation` / `contact.propertyChange` (legacy and private apps) and the
 * generic `object.creation` / `object.propertyChange` with `objectTypeId` `0-1` (apps on the developer
 * platform). Other object types, and changes to any other property — including the `mailprobe_*` ones
 * this service writes — are dropped here, so its own writes can never trigger it again.
 */
export function contactEventsOf(events: readonly WebhookEvent[]): ContactEvent[] {
  const relevant: ContactEvent[] = [];
  for (const event of events) {
    const kind = contactEventKind(event);
    if (kind === 'creation') {
      relevant.push({
        eventId: event.eventId,
        contactId: event.objectId,
        kind: 'creation',
        email: null,
        occurredAt: event.occurredAt,
      });
    } else if (kind === 'property_change' && event.propertyName === EMAIL_PROPERTY) {
      const email = event.propertyValue?.trim() ?? '';
      relevant.push({
        eventId: event.eventId,
        contactId: event.objectId,
        kind: 'email_change',
        email: email === '' ? null : email,
        occurredAt: event.occurredAt,
      });
    }
  }
  return relevant;
}

function contactEventKind(event: WebhookEvent): 'creation' | 'property_change' | null {
  switch (event.subscriptionType) {
    case 'contact.creation':
      return 'creation';
    case 'contact.propertyChange':
      return 'property_change';
    case 'object.creation':
      return event.objectTypeId === CONTACT_OBJECT_TYPE_ID ? 'creation' : null;
    case 'object.propertyChange':
      return event.objectTypeId === CONTACT_OBJECT_TYPE_ID ? 'property_change' : null;
    default:
      return null;
  }
}
