import {
  createApiKeyWithWebhookSecret,
  loadProberConfig,
  openStores,
  openWebhookSecrets,
  type ProberConfig,
  type Stores,
} from '@mailprobe/prober';
import { Command, InvalidArgumentError } from 'commander';

/** Where `keys` writes; injectable so tests read the output without a child process. */
export interface KeysCommandIo {
  stdout: (text: string) => void;
  /** Notes for the person at the terminal (default process.stderr), so stdout stays what scripts capture. */
  stderr?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

interface StoreFlags {
  dataDir?: string;
  config?: string;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number');
  return number;
}

async function withStores<T>(
  flags: StoreFlags,
  io: KeysCommandIo,
  run: (stores: Stores, config: ProberConfig) => Promise<T>,
): Promise<T> {
  const config = loadProberConfig({
    env: io.env ?? process.env,
    ...(flags.config ? { file: flags.config } : {}),
    flags: flags.dataDir ? { dataDir: flags.dataDir } : {},
  });
  const stores = await openStores({ dataDir: config.dataDir, redisUrl: config.redisUrl });
  try {
    return await run(stores, config);
  } finally {
    await stores.close();
  }
}

const HOUR_MS = 3_600_000;

function nonNegativeHours(value: string): number {
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours < 0) throw new InvalidArgumentError('expected a number of hours ≥ 0');
  return hours;
}

function addStoreOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data folder of the embedded store (env MAILPROBE_DATA_DIR)')
    .option('--config <file>', 'JSON configuration file (env MAILPROBE_CONFIG)');
}

/**
 * `mailprobe keys create|list|revoke|rotate-webhook-secret|webhook-secret`: API keys of the prober (embedded
 * store, or Redis with MAILPROBE_REDIS_URL) and their webhook signing secrets.
 */
export function createKeysCommand(
  io: KeysCommandIo = { stdout: (text) => process.stdout.write(text) },
): Command {
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text));
  const keys = new Command('keys').description('manage the API keys of the prober (`mailprobe serve`)');

  addStoreOptions(
    keys
      .command('create')
      .description(
        'create a key and print it alone on stdout (shown once; only its hash is stored); its webhook signing ' +
          'secret goes to stderr (shown once too)',
      )
      .requiredOption('--name <name>', 'who the key is for (shown by `keys list` and GET /v1/me)')
      .option('--requests-per-minute <n>', 'request rate limit of this key', positiveInteger)
      .option('--quota <n>', 'verifications this key may make in total', positiveInteger)
      .option('--json', 'print { id, key, webhookSecret } as one JSON line on stdout instead'),
  ).action(
    async (
      flags: StoreFlags & { name: string; requestsPerMinute?: number; quota?: number; json?: boolean },
    ) => {
      await withStores(flags, io, async (stores, config) => {
        const { key, record, webhookSecret } = await createApiKeyWithWebhookSecret(
          stores.keys,
          openWebhookSecrets(stores, config),
          flags.name,
          {
            requestsPerMinute: flags.requestsPerMinute ?? config.limits.requestsPerMinute,
            quota: flags.quota ?? config.limits.quota,
          },
        );
        if (flags.json) {
          io.stdout(`${JSON.stringify({ id: record.id, key, webhookSecret })}\n`);
          return;
        }
        io.stdout(`${key}\n`);
        stderr(
          `webhook signing secret of ${record.id} (shown once, keep it to verify webhooks): ${webhookSecret}\n`,
        );
      });
    },
  );

  addStoreOptions(
    keys
      .command('list')
      .description('list keys (ids, names, limits, usage; never the keys)')
      .option('--json', 'one JSON object per line'),
  ).action(async (flags: StoreFlags & { json?: boolean }) => {
    await withStores(flags, io, async (stores) => {
      const records = await stores.keys.list();
      for (const record of records) {
        const { secretHash: _hidden, ...visible } = record;
        if (flags.json) {
          io.stdout(`${JSON.stringify(visible)}\n`);
          continue;
        }
        const state = record.revokedAt ? `revoked ${record.revokedAt}` : 'active';
        const rate = record.limits.requestsPerMinute ?? 'unlimited';
        const quota = record.limits.quota ?? 'unlimited';
        io.stdout(
          `${record.id}\t${record.name}\t${state}\trpm=${rate}\tquota=${quota}\tused=${record.used}\tcreated ${record.createdAt}\n`,
        );
      }
    });
  });

  addStoreOptions(
    keys
      .command('revoke')
      .description('revoke a key by its id')
      .argument('<id>', 'key id (from `keys list`)'),
  ).action(async (id: string, flags: StoreFlags) => {
    await withStores(flags, io, async (stores) => {
      if (!(await stores.keys.revoke(id, new Date().toISOString()))) {
        throw new InvalidArgumentError(`no key with id ${id}`);
      }
      io.stdout(`revoked ${id}\n`);
    });
  });

  addStoreOptions(
    keys
      .command('rotate-webhook-secret')
      .description(
        'give a key a new webhook signing secret, printed alone on stdout (shown once); the old one keeps ' +
          'signing beside it for the overlap, so receivers can switch without losing a delivery',
      )
      .argument('<id>', 'key id (from `keys list`)')
      .option(
        '--overlap-hours <hours>',
        'how long the old secret keeps signing (default webhook.rotationOverlapMs, 24 h)',
        nonNegativeHours,
      ),
  ).action(async (id: string, flags: StoreFlags & { overlapHours?: number }) => {
    await withStores(flags, io, async (stores, config) => {
      if (!(await stores.keys.get(id))) throw new InvalidArgumentError(`no key with id ${id}`);
      const overlapMs =
        flags.overlapHours === undefined
          ? config.webhook.rotationOverlapMs
          : Math.round(flags.overlapHours * HOUR_MS);
      const legacySecret = config.webhook.secret ?? (await stores.webhookSecret());
      const { secret, previousUntil } = await openWebhookSecrets(stores, config).rotate(
        id,
        overlapMs,
        legacySecret,
      );
      io.stdout(`${secret}\n`);
      stderr(
        previousUntil
          ? `the previous secret of ${id} keeps signing until ${previousUntil}\n`
          : `the previous secret of ${id} no longer signs\n`,
      );
    });
  });

  addStoreOptions(
    keys
      .command('webhook-secret')
      .description(
        'print the server-wide secret that signs webhooks of keys created before per-key secrets (unless ' +
          'MAILPROBE_WEBHOOK_SECRET is set); `rotate-webhook-secret` gives such a key its own',
      ),
  ).action(async (flags: StoreFlags) => {
    await withStores(flags, io, async (stores) => {
      io.stdout(`${await stores.webhookSecret()}\n`);
    });
  });

  return keys;
}
