/** Webhook events shaped like HubSpot's app webhook deliveries (legacy `contact.*` and generic `object.*`). */
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

/** A developer-platform `object.creation` event; `0-1` is contacts, `0-2` companies. */
export function objectCreationEvent(
  eventId: number,
  objectId: string,
  objectTypeId = '0-1',
  occurredAt = Date.now(),
) {
  return {
    ...COMMON,
    eventId,
    occurredAt,
    subscriptionType: 'object.creation',
    objectTypeId,
    objectId: Number(objectId),
    changeFlag: 'CREATED',
    changeSource: 'CRM_UI',
    sourceId: 'userId:1234567',
  };
}

/** A developer-platform `object.propertyChange` event. */
export function objectPropertyChangeEvent(
  eventId: number,
  objectId: string,
  propertyName: string,
  propertyValue: string,
  objectTypeId = '0-1',
  occurredAt = Date.now(),
) {
  return {
    ...COMMON,
    eventId,
    occurredAt,
    subscriptionType: 'object.propertyChange',
    objectTypeId,
    objectId: Number(objectId),
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
    sourceId: 'userId:1234567',
    isSensitive: false,
  };
}
