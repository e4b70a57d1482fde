export type { BackfillOptions, BackfillProgress, BackfillSummary } from './backfill/backfill.js';
export { runBackfill } from './backfill/backfill.js';
export type { BackfillCounts } from './backfill/checkpoint.js';
export type { CliIo } from './cli.js';
export { formatSummary, run } from './cli.js';
export type { EnricherConfig, EnricherConfigInput } from './config.js';
export {
  CONFIG_ENV,
  EnricherConfigSchema,
  HUBSPOT_API_ORIGIN,
  loadEnricherConfig,
  parseListen,
  requireSettings,
} from './config.js';
export type { EnrichOutcome, EnrichTarget } from './enrich/enrich-contacts.js';
export { enrichContacts } from './enrich/enrich-contacts.js';
export type { QueueWorker, QueueWorkerSettings, RoundReport } from './enrich/queue-worker.js';
export { createQueueWorker, QUEUE_WORKER_DEFAULTS } from './enrich/queue-worker.js';
export type { Verifier } from './enrich/verifier.js';
export { AbortedError, ConfigError, HubspotApiError, HubspotIntegrationError } from './errors.js';
export type {
  ContactRecord,
  ContactSearch,
  ContactSearchPage,
  ContactUpdate,
  GatewayStats,
  HubspotGateway,
  HubspotGatewayOptions,
  PropertyDefinition,
  PropertyGroupDefinition,
  PropertyOption,
  RetrySettings,
  SearchFilter,
} from './hubspot/gateway.js';
export { createHubspotGateway, HUBSPOT_BATCH_LIMIT, HUBSPOT_SEARCH_PAGE_LIMIT } from './hubspot/gateway.js';
export type { RollingWindowLimit } from './hubspot/rolling-window-limiter.js';
export { RollingWindowLimiter } from './hubspot/rolling-window-limiter.js';
export type { Logger } from './logger.js';
export { createJsonLogger, silentLogger } from './logger.js';
export {
  mailprobePropertyDefinitions,
  PROPERTY_GROUP,
  PROPERTY_NAMES,
  PROPERTY_PREFIX,
} from './properties.js';
export { resultToProperties } from './result-properties.js';
export type { RunningService } from './serve.js';
export { startService } from './serve.js';
export type { SetupReport } from './setup.js';
export { setupProperties } from './setup.js';
export { CONTACT_OBJECT_TYPE_ID, contactEventsOf } from './webhook/events.js';
export type { WebhookReceiverSettings } from './webhook/receiver.js';
export { createWebhookReceiver } from './webhook/receiver.js';
export type { SignatureVerdict, SignatureVersion, SignedRequest } from './webhook/signature.js';
export {
  DEFAULT_SIGNATURE_VERSIONS,
  MAX_SIGNATURE_AGE_MS,
  verifyHubspotSignature,
} from './webhook/signature.js';
