import { z } from 'zod';
import type { ContactEvent } from '../store/event-queue.js';

/** HubSpot sends at most 100 events per webhook request. */
export const MAX_EVENTS_PER_REQUEST = 100;
export const EMAIL_PROPERTY = 'email';

const IdSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);

/** One event of a HubSpot app webhook delivery (fields Mailprobe reads; others are allowed and ignored). */
export const WebhookEventSchema = z.looseObject({
  eventId: IdSchema,
  subscriptionType: z.string().max(100),
  objectId: IdSchema,
  occurredAt: z.number().int().nonnegative(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().max(1000).nullable().optional(),
  portalId: z.number().int().optional(),
  attemptNumber: z.number().int().optional(),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

export const WebhookBodySchema = z.array(WebhookEventSchema).min(1).max(MAX_EVENTS_PER_REQUEST);

/**
 * Keeps the events Mailprobe acts on: contact creations and changes of `email`. Changes to any other
 * property — including the `mailprobe_*` ones this service writes — are dropped here, so its own
 * writes can never trigger it again.
 */
export function contactEventsOf(events: readonly WebhookEvent[]): ContactEvent[] {
  const relevant: ContactEvent[] = [];
  for (const event of events) {
    if (event.subscriptionType === 'contact.creation') {
      relevant.push({
        eventId: event.eventId,
        contactId: event.objectId,
        kind: 'creation',
        email: null,
        occurredAt: event.occurredAt,
      });
    } else if (event.subscriptionType === 'contact.propertyChange' && event.propertyName === EMAIL_PROPERTY) {
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
