/** Webhook events shaped like HubSpot's app webhook deliveries. */
const COMMON = { subscriptionId: 2_345_678, portalId: 62_515, appId: 54_321, attemptNumber: 0 };

export function contactCreationEvent(eventId: number, objectId: string, occurredAt = Date.now()) {
  return {
    ...COMMON,
    eventId,
    occurredAt,
    subscriptionType: 'contact.creation',
    objectId: Number(objectId),
    changeFlag: 'NEW',
    changeSource: 'CRM_UI',
  };
}

export function propertyChangeEvent(
  eventId: number,
  objectId: string,
  propertyName: string,
  propertyValue: string,
  occurredAt = Date.now(),
) {
  return {
    ...COMMON,
    eventId,
    occurredAt,
    subscriptionType: 'contact.propertyChange',
    objectId: Number(objectId),
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
  };
}
