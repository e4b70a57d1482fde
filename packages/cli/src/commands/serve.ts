import { createProberServer, loadProberConfig, type ProberServer } from '@mailprobe/prober';
import { Command } from 'commander';

interface ServeFlags {
  listen?: string;
  metricsListen?: string;
  dataDir?: string;
  redisUrl?: string;
  config?: string;
  logLevel?: string;
  retentionDays?: number;
}

/** Signals that stop the server gracefully. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Starts a prober node from flags, env and file; resolves with the running server (logs go to stdout as JSON). */
export async function runServe(
  flags: ServeFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ server: ProberServer; url: string }> {
  const config = loadProberConfig({
    env,
    ...(flags.config ? { file: flags.config } : {}),
    flags: {
      listen: flags.listen,
      metricsListen: flags.metricsListen,
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
    .option('--data-dir <dir>', 'data folder of the embedded store (env MAILPROBE_DATA_DIR)')
    .option('--redis-url <url>', 'Redis of a fleet (env MAILPROBE_REDIS_URL)')
    .option('--config <file>', 'JSON configuration file (env MAILPROBE_CONFIG)')
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
      const { server } = await runServe(flags);
      await new Promise<void>((resolve) => {
        const stop = () => {
          for (const signal of STOP_SIGNALS) process.off(signal, stop);
          server.close().then(resolve, resolve);
        };
        for (const signal of STOP_SIGNALS) process.on(signal, stop);
      });
    });
}
