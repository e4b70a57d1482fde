import type { ProberServer } from '@mailprobe/prober';
import { Command } from 'commander';
import { EXIT_CODES } from '../cli-errors.js';

interface ServeFlags {
  listen?: string;
  metricsListen?: string;
  tlsCert?: string;
  tlsKey?: string;
  dataDir?: string;
  redisUrl?: string;
  config?: string;
  logLevel?: string;
  retentionDays?: number;
  proxy?: string[];
  route?: string[];
}

/** Signals that stop the server gracefully. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** After the drain, closing the stores gets this long before the process gives up on a clean exit. */
const CLOSE_GRACE_MS = 5000;

/** Starts a prober node from flags, env and file; resolves with the running server (logs go to stdout as JSON). */
export async function runServe(
  flags: ServeFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ server: ProberServer; url: string }> {
  // Loaded here, not at the top: the prober (Fastify, SQLite) is heavy and only `serve` needs it.
  const { createProberServer, loadProberConfig } = await import('@mailprobe/prober');
  // The engine reads its proxies from the environment (or the file's `engine`); flags win over both.
  const engineEnv = {
    ...env,
    ...(flags.proxy ? { MAILPROBE_PROXIES: flags.proxy.join(',') } : {}),
    ...(flags.route ? { MAILPROBE_EGRESS_ROUTES: flags.route.join(',') } : {}),
  };
  const config = loadProberConfig({
    env: engineEnv,
    ...(flags.config ? { file: flags.config } : {}),
    flags: {
      listen: flags.listen,
      metricsListen: flags.metricsListen,
      tlsCert: flags.tlsCert,
      tlsKey: flags.tlsKey,
      dataDir: flags.dataDir,
      redisUrl: flags.redisUrl,
      logLevel: flags.logLevel,
      retentionDays: flags.retentionDays,
    },
  });
  const server = await createProberServer(config);
  try {
    return { server, url: await server.listen() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** `mailprobe serve`: the hosted prober endpoint (API v1, jobs, metrics). */
export function createServeCommand(): Command {
  return new Command('serve')
    .description('run the prober HTTP API (embedded SQLite store, or a Redis fleet with MAILPROBE_REDIS_URL)')
    .option('--listen <host:port>', 'address to listen on (env MAILPROBE_LISTEN, default 127.0.0.1:8025)')
    .option(
      '--metrics-listen <host:port|off>',
      'ops listener serving /metrics (env MAILPROBE_METRICS_LISTEN, default 127.0.0.1:9464; off = none)',
    )
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate chain (env MAILPROBE_TLS_CERT)')
    .option('--tls-key <file>', 'private key of --tls-cert, PEM (env MAILPROBE_TLS_KEY)')
    .option('--data-dir <dir>', 'data folder of the embedded store (env MAILPROBE_DATA_DIR)')
    .option('--redis-url <url>', 'Redis of a fleet (env MAILPROBE_REDIS_URL)')
    .option('--config <file>', 'JSON configuration file (env MAILPROBE_CONFIG)')
    .option(
      '--proxy <[name=]socks5://[user:password@]host:port>',
      'SOCKS5 egress where port 25 is closed, repeatable (env MAILPROBE_PROXIES; file: engine.proxies)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      '--route <provider=proxy>',
      'mail provider → proxy or direct, repeatable (env MAILPROBE_EGRESS_ROUTES; file: engine.egressRoutes)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      '--retention-days <days>',
      'days finished jobs and cached results are kept before deletion (env MAILPROBE_RETENTION_DAYS, default 30)',
      (value: string) => Number(value),
    )
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug, trace or silent (env MAILPROBE_LOG_LEVEL)',
    )
    .action(async (flags: ServeFlags) => {
      // Listen for stop signals before starting: as PID 1 in a container an unhandled SIGTERM is ignored, so one
      // that arrives during start-up would otherwise be lost and the container killed after the stop timeout.
      let stopSignal: NodeJS.Signals | null = null;
      let onStop: (signal: NodeJS.Signals) => void = () => {};
      const stop = (signal: NodeJS.Signals) => {
        for (const name of STOP_SIGNALS) process.off(name, stop);
        stopSignal = signal;
        onStop(signal);
      };
      for (const signal of STOP_SIGNALS) process.on(signal, stop);
      let server: ProberServer;
      try {
        ({ server } = await runServe(flags));
      } catch (error) {
        for (const name of STOP_SIGNALS) process.off(name, stop);
        throw error;
      }
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        if (stopSignal) resolve(stopSignal);
        else onStop = resolve;
      });
      const { drainMs } = server.config;
      server.app.log.info({ signal, drainMs }, 'draining: no new requests or chunks');
      // A store that hangs on close must not keep a container from stopping: give up past the bound.
      const giveUp = setTimeout(() => {
        server.app.log.error({ drainMs }, 'could not close within the drain bound');
        process.exit(EXIT_CODES.failed);
      }, drainMs + CLOSE_GRACE_MS);
      giveUp.unref();
      await server.close({ drainMs });
      clearTimeout(giveUp);
      server.app.log.info('stopped');
    });
}
