import type { AddressInfo } from 'node:net';
import { type EnricherConfig, parseListen, requireSettings } from './config.js';
import { createQueueWorker, type QueueWorker, type QueueWorkerSettings } from './enrich/queue-worker.js';
import type { Verifier } from './enrich/verifier.js';
import type { HubspotGateway } from './hubspot/gateway.js';
import { type Logger, silentLogger } from './logger.js';
import { gatewayFromConfig, verifierFromConfig } from './services.js';
import { openDatabase } from './store/database.js';
import { createEventQueue, type EventQueue } from './store/event-queue.js';
import { createReplayGuard } from './store/replay-guard.js';
import { createWebhookReceiver } from './webhook/receiver.js';

/** How long finished events and expired signatures are kept before pruning. */
const FINISHED_EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export interface RunningService {
  /** Base URL the receiver listens on. */
  url: string;
  webhookUrl: string;
  queue: EventQueue;
  worker: QueueWorker;
  close(): Promise<void>;
}

/** Starts the webhook receiver and the queue worker (`mailprobe-hubspot serve`). */
export async function startService(
  config: EnricherConfig,
  options: { gateway?: HubspotGateway; verifier?: Verifier; logger?: Logger } = {},
): Promise<RunningService> {
  requireSettings(config, ['accessToken', 'clientSecret', 'prober']);
  const logger = options.logger ?? silentLogger;
  const gateway = options.gateway ?? gatewayFromConfig(config, logger);
  const verifier = options.verifier ?? verifierFromConfig(config);
  const database = openDatabase(config.dataDir);
  const queue = createEventQueue(database);
  const replayGuard = createReplayGuard(database);
  const workerSettings: Partial<QueueWorkerSettings> = { ...config.worker };
  const worker = createQueueWorker({ queue, gateway, verifier, settings: workerSettings, logger });
  const app = createWebhookReceiver({
    settings: { ...config.webhook, clientSecret: config.hubspot.clientSecret as string },
    queue,
    replayGuard,
    onQueued: () => worker.wake(),
    logger,
  });
  const { host, port } = parseListen(config.listen);
  await app.listen({ host, port });
  const address = app.server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostText}:${address.port}`;
  worker.start();
  const pruner = setInterval(() => {
    queue.prune(Date.now() - FINISHED_EVENT_RETENTION_MS);
    replayGuard.prune();
  }, PRUNE_INTERVAL_MS);
  pruner.unref();
  logger.info('serving', { url, webhookPath: config.webhook.path, pending: queue.counts().pending });

  return {
    url,
    webhookUrl: `${url}${config.webhook.path}`,
    queue,
    worker,
    async close() {
      clearInterval(pruner);
      await app.close();
      await worker.stop();
      database.close();
    },
  };
}
