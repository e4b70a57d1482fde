export {
  DEFAULT_LISTEN,
  ProberConfigSchema,
  defaultDataDir,
  loadProberConfig,
  parseListen,
  resolveProberConfig,
} from './config.js';
export type { ProberConfig, ProberConfigInput, ProberFlags } from './config.js';
export { ConfigError, ProberError } from './errors.js';
export { createProberServer } from './server.js';
export type { ProberServer, ProberServerOptions } from './server.js';
export { startProber } from './start-prober.js';
export type { StartProberOptions, StartedProber } from './start-prober.js';
export { createApiKey } from './keys/key-admin.js';
export type { NewKeyLimits } from './keys/key-admin.js';
export { openStores } from './stores/create-stores.js';
export type { StoreKind, Stores } from './stores/create-stores.js';
export { createRedisMxLimiter } from './stores/redis/redis-mx-limiter.js';
export type { RedisMxLimiterOptions } from './stores/redis/redis-mx-limiter.js';
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
