import { ProberApiError } from '@mailprobe/core';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { type BackfillSummary, runBackfill } from './backfill/backfill.js';
import {
  type EnricherConfig,
  type EnricherConfigInput,
  loadEnricherConfig,
  requireSettings,
} from './config.js';
import { HubspotIntegrationError } from './errors.js';
import { createJsonLogger } from './logger.js';
import { startService } from './serve.js';
import { gatewayFromConfig, verifierFromConfig } from './services.js';
import { setupProperties } from './setup.js';

export interface CliIo {
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_CONFIG = 2;
const EXIT_INTERRUPTED = 130;

interface GlobalFlags {
  config?: string;
  dataDir?: string;
}

/** Runs `mailprobe-hubspot` with the given arguments; resolves to the exit code. */
export async function run(argv: readonly string[] = process.argv, io: CliIo = defaultIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('mailprobe-hubspot')
    .description('Tag every HubSpot contact with whether its email address works (Mailprobe).')
    .option('--config <file>', 'JSON config file (also MAILPROBE_HUBSPOT_CONFIG)')
    .option(
      '--data-dir <dir>',
      'where the webhook queue and backfill checkpoint live (MAILPROBE_HUBSPOT_DATA_DIR)',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  const configFor = (extra: EnricherConfigInput = {}): EnricherConfig => {
    const flags = program.opts<GlobalFlags>();
    return loadEnricherConfig({
      env: io.env,
      ...(flags.config ? { file: flags.config } : {}),
      overrides: { ...(flags.dataDir ? { dataDir: flags.dataDir } : {}), ...extra },
    });
  };

  program
    .command('setup')
    .description('create (or update) the mailprobe property group and contact properties; safe to re-run')
    .action(async () => {
      const config = configFor();
      const report = await setupProperties(gatewayFromConfig(config));
      if (report.groupCreated) io.stdout.write('created property group mailprobe\n');
      for (const name of report.created) io.stdout.write(`created ${name}\n`);
      for (const name of report.updated) io.stdout.write(`updated ${name}\n`);
      io.stdout.write(`${report.unchanged.length} properties already up to date\n`);
    });

  program
    .command('serve')
    .description(
      'receive HubSpot webhooks (contact.creation, contact.propertyChange on email) and enrich contacts',
    )
    .option('--listen <host:port>', 'listen address (MAILPROBE_HUBSPOT_LISTEN, default 127.0.0.1:8026)')
    .action(async (flags: { listen?: string }) => {
      const config = configFor(flags.listen ? { listen: flags.listen } : {});
      const logger = createJsonLogger(io.stderr);
      const service = await startService(config, { logger });
      io.stdout.write(`listening on ${service.webhookUrl}\n`);
      await waitForSignal();
      logger.info('shutting down');
      await service.close();
    });

  program
    .command('backfill')
    .description(
      'verify contacts never checked (or checked more than --stale-days ago) and write the results',
    )
    .option('--stale-days <n>', 're-verify contacts checked more than n days ago', parseDays)
    .option('--dry-run', 'verify and report; write nothing to HubSpot')
    .option('--restart', 'ignore an unfinished checkpoint and start from the first contact')
    .action(async (flags: { staleDays?: number; dryRun?: boolean; restart?: boolean }) => {
      const config = configFor();
      requireSettings(config, ['accessToken', 'prober']);
      const logger = createJsonLogger(io.stderr);
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const bar = (io.stderr as NodeJS.WriteStream).isTTY
        ? new SingleBar({
            stream: io.stderr as NodeJS.WriteStream,
            format: 'backfill [{bar}] {value}/{total} contacts | {eta_formatted} left | written {written}',
            hideCursor: true,
          })
        : null;
      let started = false;
      try {
        const summary = await runBackfill({
          gateway: gatewayFromConfig(config, logger),
          verifier: verifierFromConfig(config),
          dataDir: config.dataDir,
          staleDays: flags.staleDays ?? null,
          dryRun: flags.dryRun ?? false,
          restart: flags.restart ?? false,
          pageSize: config.backfill.pageSize,
          signal: controller.signal,
          logger,
          onProgress: ({ counts, estimatedTotal }) => {
            if (bar === null) return;
            if (!started) bar.start(estimatedTotal, 0, { written: 0 });
            started = true;
            bar.setTotal(estimatedTotal);
            bar.update(counts.processed, { written: counts.written });
          },
        });
        bar?.stop();
        io.stdout.write(formatSummary(summary));
        if (!summary.completed) exitCode = EXIT_INTERRUPTED;
      } finally {
        bar?.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return EXIT_OK;
    if (typeof code === 'string' && code.startsWith('commander.')) return EXIT_CONFIG;
    if (HubspotIntegrationError.isInstance(error) && error.code === 'invalid_config') {
      io.stderr.write(`mailprobe-hubspot: ${error.message}\n`);
      return EXIT_CONFIG;
    }
    // Our own AbortedError, or core's prober client's `aborted` ProberApiError ("The request was aborted").
    const aborted =
      (HubspotIntegrationError.isInstance(error) && error.code === 'aborted') ||
      (ProberApiError.isInstance(error) && error.code === 'aborted');
    if (aborted) {
      io.stderr.write('mailprobe-hubspot: interrupted; run the same command again to resume\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr.write(`mailprobe-hubspot: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
  return exitCode;
}

/** The closing summary of a backfill, one fact per line. */
export function formatSummary(summary: BackfillSummary): string {
  const { counts } = summary;
  const lines = [
    summary.completed ? 'backfill complete' : 'backfill interrupted; run the same command again to resume',
    ...(summary.resumed ? ['resumed from a checkpoint'] : []),
    ...(summary.dryRun ? ['dry run: nothing was written to HubSpot'] : []),
    `contacts processed: ${counts.processed}`,
    `written back: ${counts.written}`,
    `valid: ${counts.byStatus.VALID}, invalid: ${counts.byStatus.INVALID}, unknown: ${counts.byStatus.UNKNOWN}`,
    `skipped (deleted or merged): ${counts.missing}`,
    `skipped (no email): ${counts.noEmail}`,
    `last contact id: ${summary.lastId}`,
  ];
  return `${lines.join('\n')}\n`;
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isFinite(days) || days < 0) throw new InvalidArgumentError('expected a number of days ≥ 0');
  return days;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
