export type { ProberConfig, ProberConfigInput, ProberFlags } from './config.js';
export {
  DEFAULT_LISTEN,
  defaultDataDir,
  loadProberConfig,
  ProberConfigSchema,
  parseListen,
  resolveProberConfig,
} from './config.js';
export { ConfigError, ProberError } from './errors.js';
export type { NewKeyLimits } from './keys/key-admin.js';
export { createApiKey, createApiKeyWithWebhookSecret } from './keys/key-admin.js';
export { openWebhookSecrets, WEBHOOK_SECRET_PREFIX, WebhookSecrets } from './keys/webhook-secrets.js';
export type { ProberServer, ProberServerOptions } from './server.js';
export { createProberServer } from './server.js';
export type { StartedProber, StartProberOptions } from './start-prober.js';
export { startProber } from './start-prober.js';
export type { StoreKind, Stores } from './stores/create-stores.js';
export { openStores } from './stores/create-stores.js';
export type { RedisMxLimiterOptions } from './stores/redis/redis-mx-limiter.js';
export { createRedisMxLimiter } from './stores/redis/redis-mx-limiter.js';
export type {
  ApiKeyRecord,
  ChunkMessage,
  JobQueue,
  JobRecord,
  JobStore,
  KeyLimits,
  KeyStore,
  ResultCache,
} from './stores/types.js';
