import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fastifySwagger from '@fastify/swagger';
import { API_HEADERS, jobResultsPath, MAX_ID_LENGTH } from '@mailprobe/core';
import {
  createEngine,
  createMemoryMxLimiter,
  type Engine,
  resolveEngineOptions,
  warmClassifier,
} from '@mailprobe/engine';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { DEFAULT_METRICS_LISTEN, type ProberConfig, parseListen } from './config.js';
import { ConfigError } from './errors.js';
import { handleError, sendApiError } from './http/api-errors.js';
import { authenticateApiRequests } from './http/auth.js';
import type { ProberApp, ProberContext } from './http/context.js';
import {
  answerClientError,
  answerFrameworkError,
  refuseDeclaredOversize,
  useStrictBodyParsers,
} from './http/framework-errors.js';
import { type MetricsListener, startMetricsListener } from './http/metrics-listener.js';
import { watchRequestBodies } from './http/request-body.js';
import { RequestLimiter } from './http/request-limiter.js';
import { OneLinePerRequest } from './http/request-log.js';
import { registerConsoleRoutes } from './http/routes/console-routes.js';
import { registerDocsRoutes } from './http/routes/docs-routes.js';
import { registerJobRoutes } from './http/routes/job-routes.js';
import { registerOpsRoutes, renderMetrics } from './http/routes/ops-routes.js';
import { registerVerifyRoutes } from './http/routes/verify-routes.js';
import { registerWebhookRoutes } from './http/routes/webhook-routes.js';
import { createHostResolver } from './jobs/callback-target.js';
import { IngestSweeper } from './jobs/ingest-sweeper.js';
import { toApiJob } from './jobs/job-view.js';
import { JobWorker } from './jobs/job-worker.js';
import { RetentionSweeper } from './jobs/retention-sweeper.js';
import { WebhookSender } from './jobs/webhook.js';
import { createApiKeyWithWebhookSecret, type NewKeyLimits } from './keys/key-admin.js';
import { openWebhookSecrets, signingSecretsOf, type WebhookSecrets } from './keys/webhook-secrets.js';
import { ProberMetrics } from './metrics.js';
import { SourceDoctor } from './source-doctor.js';
import { openStores, type Stores } from './stores/create-stores.js';
import { withHotPath } from './stores/hot-path.js';
import { upgradeLegacyJobs } from './stores/redis/redis-job-store.js';
import { createRedisMxLimiter } from './stores/redis/redis-mx-limiter.js';
import { createRedisProxyBench } from './stores/redis/redis-proxy-bench.js';
import { VerificationService } from './verification-service.js';

const API_VERSION = '1.0.0';
const SAFE_REQUEST_ID = /^[\w.:-]+$/;
/** Message an interrupted upload leaves on its job after a restart of the embedded store. */
const INTERRUPTED_UPLOAD = 'the upload was interrupted (server restarted)';

/** A running prober node. */
export interface ProberServer {
  readonly app: ProberApp;
  readonly config: ProberConfig;
  readonly stores: Stores;
  /** Per-key webhook signing secrets (create, rotate). */
  readonly webhookSecrets: WebhookSecrets;
  /** URL of `/metrics` on the ops listener once listening; null when `metricsListen` is off. */
  readonly metricsUrl: string | null;
  /** Starts listening on `config.listen` (and the ops listener on `config.metricsListen`); returns the base URL (`http://host:port`). */
  listen(): Promise<string>;
  /** Creates an API key in this node's store (defaults from `config.limits`); returns the key, shown once. */
  createKey(name: string, limits?: NewKeyLimits): Promise<string>;
  /** Like createKey, and returns the key's webhook signing secret too (shown once). */
  createKeyWithWebhookSecret(
    name: string,
    limits?: NewKeyLimits,
  ): Promise<{ key: string; webhookSecret: string }>;
  /**
   * Stops taking requests and work; with `drainMs` (serve passes `config.drainMs` on SIGTERM) requests and chunks
   * in flight may finish for that long, then the rest are aborted and their chunks handed back. Closes the engine
   * and the stores last (pending quota usage is written).
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

export interface ProberServerOptions {
  /** An engine to use instead of one built from `config.engine` (it is closed with the server). */
  engine?: Engine;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Recovers what a killed embedded node left behind: leases of its chunks and webhook deliveries, half-uploaded jobs. */
async function recoverEmbedded(stores: Stores): Promise<void> {
  await stores.queue.releaseAll?.();
  await stores.webhookStore.releaseAllDeliveries?.();
  for (const job of await stores.jobs.listJobsInState('ingesting')) {
    // The upload never finished, so what it was charged is given back.
    if (await stores.jobs.setState(job.id, 'failed', ['ingesting'], INTERRUPTED_UPLOAD)) {
      if (job.total > 0) await stores.keys.refund(job.keyId, job.total);
      await stores.jobs.discardUpload(job.id);
    }
  }
}

/** Builds a prober node: stores, one engine (with its per-MX limiter shared by jobs and single calls), HTTP API. */
export async function createProberServer(
  config: ProberConfig,
  options: ProberServerOptions = {},
): Promise<ProberServer> {
  // The problem log is read lazily: the app (and its logger) is built below, and problems only arise later.
  // The connection may report a lost Redis before the app (and its logger) exists.
  let appLog: FastifyBaseLogger | null = null;
  const stores = withHotPath(
    await openStores({ dataDir: config.dataDir, redisUrl: config.redisUrl, log: () => appLog }),
    config.hotPath,
    () => app.log,
  );
  if (stores.kind === 'sqlite') await recoverEmbedded(stores);
  const metrics = new ProberMetrics();

  const engineOptions = resolveEngineOptions(config.engine);
  const limits = {
    maxSessionsPerMx: engineOptions.maxSessionsPerMx,
    maxConnectionsPerMinute: engineOptions.maxConnectionsPerMinute,
  };
  const baseLimiter =
    config.engine.mxLimiter ??
    (stores.redis
      ? createRedisMxLimiter(stores.redis, { ...limits, leaseMs: config.mxLeaseMs })
      : createMemoryMxLimiter(limits));
  const mxLimiter = metrics.instrumentMxLimiter(baseLimiter);
  const engine =
    options.engine ??
    createEngine({
      ...config.engine,
      mxLimiter,
      // A fleet shares which SOCKS5 egresses are benched, as it shares the per-MX limits.
      ...(stores.redis && !config.engine.proxyBench
        ? { proxyBench: createRedisProxyBench(stores.redis) }
        : {}),
      // Said once per name, at first use: the HELO name in use is not fully qualified or not forward-confirmed.
      onWarning:
        config.engine.onWarning ??
        ((warning) =>
          app.log.warn(
            {
              code: warning.code,
              heloName: warning.heloName,
              sourceAddress: warning.sourceAddress,
              setting: warning.environment,
            },
            warning.message,
          )),
    });

  // Node's own limits: headers in time, idle keep-alive connections closed, and every request whole within the
  // longest deadline (the body watch holds other requests to their shorter one).
  const serverOptions = {
    headersTimeout: config.http.headersTimeoutMs,
    connectionsCheckingInterval: config.http.connectionsCheckingIntervalMs,
  };
  const app = Fastify({
    ...(config.tls
      ? {
          https: {
            ...serverOptions,
            cert: readTlsFile(config.tls.certFile),
            key: readTlsFile(config.tls.keyFile),
          },
        }
      : { http: serverOptions }),
    requestTimeout:
      Math.max(config.http.requestTimeoutMs, config.jobs.uploadTimeoutMs) + config.http.drainTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    },
    logController: new OneLinePerRequest(),
    bodyLimit: config.bodyLimitBytes,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    requestIdHeader: API_HEADERS.requestId,
    genReqId: (request) => {
      const given = request.headers[API_HEADERS.requestId];
      return typeof given === 'string' && given.length <= MAX_ID_LENGTH && SAFE_REQUEST_ID.test(given)
        ? given
        : randomUUID();
    },
  }).withTypeProvider() as unknown as ProberApp;
  appLog = app.log;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('apiKey', null);
  app.decorateRequest('logLine', null);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendApiError(reply, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header(API_HEADERS.requestId, request.id);
  });
  useStrictBodyParsers(app);
  watchRequestBodies(app, {
    ...config.http,
    uploadTimeoutMs: config.jobs.uploadTimeoutMs,
  });
  app.addHook(
    'onRequest',
    refuseDeclaredOversize({
      bodyLimitBytes: config.bodyLimitBytes,
      jobBodyLimitBytes: config.jobs.bodyLimitBytes,
    }),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mailprobe prober API',
        version: API_VERSION,
        description: 'Verifies email addresses without sending mail: syntax, MX lookup and an SMTP probe.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  const webhookSecrets = openWebhookSecrets(stores, config);
  // The results URL in webhook events: the configured public URL, else the URL this node listens on.
  let publicUrl = config.publicUrl?.replace(/\/+$/, '') ?? null;
  const webhooks = new WebhookSender({
    jobs: stores.jobs,
    store: stores.webhookStore,
    secrets: signingSecretsOf(webhookSecrets, stores, config),
    config: config.webhook,
    nodeId: config.nodeId,
    log: app.log,
    policy: {
      allowPrivateTargets: engineOptions.allowPrivateTargets,
      resolve: createHostResolver(engineOptions.dnsServers),
    },
    buildEvent: (job) => ({
      type: 'job.completed',
      id: `evt_${job.id}`,
      createdAt: new Date().toISOString(),
      job: toApiJob(job),
      ...(publicUrl ? { resultsUrl: `${publicUrl}${jobResultsPath(job.id)}` } : {}),
    }),
    registry: metrics.registry,
  });
  const retentionMs = config.retentionDays * DAY_MS;
  const retention = new RetentionSweeper({
    jobs: stores.jobs,
    cache: stores.cache,
    retentionMs,
    intervalMs: config.retentionSweepIntervalMs,
    log: app.log,
  });
  const sweeper = new IngestSweeper({
    jobs: stores.jobs,
    keys: stores.keys,
    leaseMs: config.jobs.ingestLeaseMs,
    log: app.log,
    onFailed: (jobId) => {
      metrics.jobsFinished.inc({ state: 'failed' });
      webhooks.deliver(jobId);
    },
  });
  const service = new VerificationService(engine, stores.cache, metrics, config.cacheTtl, retentionMs);
  const worker = new JobWorker({
    jobs: stores.jobs,
    queue: stores.queue,
    engine,
    service,
    metrics,
    config: config.jobs,
    nodeId: config.nodeId,
    log: app.log,
    onJobFinished: (jobId) => webhooks.deliver(jobId),
  });
  const doctor = new SourceDoctor(engine, config.engine, config.doctor, app.log, metrics.registry);
  const context: ProberContext = {
    doctor,
    config,
    stores,
    engine,
    service,
    metrics,
    requestLimiter: new RequestLimiter(stores.redis),
    webhooks,
    worker,
  };

  let closing = false;
  authenticateApiRequests(app, context);
  registerOpsRoutes(app, context, () => closing);
  const consolePages = await registerConsoleRoutes(app);
  registerDocsRoutes(app, consolePages.docsPage());
  registerVerifyRoutes(app, context);
  registerJobRoutes(app, context);
  registerWebhookRoutes(app, context);
  await app.ready();

  if (stores.redis) {
    const upgraded = await upgradeLegacyJobs(stores.redis);
    if (upgraded > 0) app.log.info({ upgraded }, 'jobs stored by 0.1.0 converted to the compact layout');
  }
  // Before any job runs: the classifier's first replies would otherwise hold the event loop while V8 compiles its
  // expressions (about 300 ms in a fresh process).
  app.log.debug({ ms: Math.round(warmClassifier()) }, 'reply classifier compiled');
  worker.start();
  sweeper.start();
  retention.start();
  // Callbacks of jobs that finished before deliveries were stored (an older data folder) join the store.
  for (const job of await stores.jobs.jobsWithPendingWebhook()) webhooks.resume(job.id);
  webhooks.start();

  let closed: Promise<void> | null = null;
  let metricsListener: MetricsListener | null = null;
  const keyLimits = (given: NewKeyLimits) => ({
    requestsPerMinute:
      given.requestsPerMinute === undefined ? config.limits.requestsPerMinute : given.requestsPerMinute,
    quota: given.quota === undefined ? config.limits.quota : given.quota,
  });
  return {
    app,
    config,
    stores,
    webhookSecrets,
    get metricsUrl() {
      return metricsListener?.url ?? null;
    },
    async listen() {
      const { host, port } = parseListen(config.listen);
      await app.listen({ host, port });
      const address = app.server.address();
      const boundPort = typeof address === 'object' && address ? address.port : port;
      const scheme = config.tls ? 'https' : 'http';
      const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
      publicUrl ??= url;
      metricsListener = await startOpsListener(config, () => renderMetrics(context), app.log);
      app.log.info(
        { url, metricsUrl: metricsListener?.url ?? null, store: stores.kind, nodeId: config.nodeId },
        'prober listening',
      );
      reportSourceAddresses(engine, app.log);
      doctor.start();
      return url;
    },
    async createKey(name, limits = {}) {
      const { key } = await createApiKeyWithWebhookSecret(
        stores.keys,
        webhookSecrets,
        name,
        keyLimits(limits),
      );
      return key;
    },
    async createKeyWithWebhookSecret(name, limits = {}) {
      const { key, webhookSecret } = await createApiKeyWithWebhookSecret(
        stores.keys,
        webhookSecrets,
        name,
        keyLimits(limits),
      );
      return { key, webhookSecret };
    },
    close(closeOptions = {}) {
      closed ??= (async () => {
        closing = true;
        await metricsListener?.close();
        const { drainMs } = closeOptions;
        if (drainMs === undefined) {
          // Requests in flight finish, then chunks in flight are aborted and handed back.
          await app.close();
          await worker.close();
        } else {
          // Stop listening at once; requests in flight and chunks being probed run on for up to drainMs, then
          // whatever still runs is aborted: single verifications end with an error, chunks are handed back.
          const httpClosed = app.close();
          const workerClosed = worker.close({ drainMs });
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            Promise.all([httpClosed, workerClosed]),
            new Promise((resolve) => (timer = setTimeout(resolve, drainMs))),
          ]);
          clearTimeout(timer);
          await engine.close();
          await Promise.all([httpClosed, workerClosed]);
        }
        await doctor.close();
        await sweeper.close();
        await retention.close();
        await webhooks.close();
        await engine.close();
        await mxLimiter.close?.();
        await stores.close();
      })();
      return closed;
    },
  };
}

function readTlsFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(`cannot read TLS file ${file}: ${(error as Error).message}`);
  }
}

/**
 * Starts the ops listener of `config.metricsListen`. The default address being taken (another node on the same
 * host) is logged and the node runs without it; an address configured on purpose that cannot be bound stops the start.
 */
async function startOpsListener(
  config: ProberConfig,
  render: () => Promise<{ contentType: string; body: string }>,
  log: FastifyBaseLogger,
): Promise<MetricsListener | null> {
  if (config.metricsListen === null) return null;
  try {
    return await startMetricsListener(config.metricsListen, render, log);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== 'EADDRINUSE' ||
      config.metricsListen !== DEFAULT_METRICS_LISTEN
    ) {
      throw error;
    }
    log.warn(
      { metricsListen: config.metricsListen },
      'metrics address in use; running without the ops listener',
    );
    return null;
  }
}

/**
 * Says at start-up which dedicated source addresses lack forward-confirmed reverse DNS (or greet with a
 * name other than their PTR): many MX hosts refuse such clients, which would turn verdicts into `blocked`.
 */
function reportSourceAddresses(engine: Engine, log: FastifyBaseLogger): void {
  if (engine.options.sourceAddresses.length === 0) return;
  engine.checkSourceAddresses().then(
    (reports) => {
      for (const report of reports) {
        const fields = { sourceAddress: report.address, heloName: report.heloName, ptr: report.ptr };
        if (!report.forwardConfirmed) log.warn(fields, 'source address lacks forward-confirmed reverse DNS');
        else if (!report.heloMatchesPtr)
          log.warn(fields, 'source address greets with a name other than its PTR');
        else log.info(fields, 'source address has forward-confirmed reverse DNS');
      }
    },
    (error: unknown) => log.warn({ err: error }, 'could not check the source addresses'),
  );
}
