import type { Stores } from '@mailprobe/prober';
import { Command, InvalidArgumentError } from 'commander';

/** Where `keys` writes; injectable so tests read the output without a child process. */
export interface KeysCommandIo {
  stdout: (text: string) => void;
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
  run: (stores: Stores, defaults: { requestsPerMinute: number; quota: number | null }) => Promise<T>,
): Promise<T> {
  // Loaded here, not at the top: the prober's stores (SQLite) are heavy and only `keys` needs them.
  const { loadProberConfig, openStores } = await import('@mailprobe/prober');
  const config = loadProberConfig({
    env: io.env ?? process.env,
    ...(flags.config ? { file: flags.config } : {}),
    flags: flags.dataDir ? { dataDir: flags.dataDir } : {},
  });
  const stores = await openStores({ dataDir: config.dataDir, redisUrl: config.redisUrl });
  try {
    return await run(stores, config.limits);
  } finally {
    await stores.close();
  }
}

function addStoreOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data folder of the embedded store (env MAILPROBE_DATA_DIR)')
    .option('--config <file>', 'JSON configuration file (env MAILPROBE_CONFIG)');
}

/** `mailprobe keys create|list|revoke|webhook-secret`: API keys of the prober (embedded store, or Redis with MAILPROBE_REDIS_URL). */
export function createKeysCommand(
  io: KeysCommandIo = { stdout: (text) => process.stdout.write(text) },
): Command {
  const keys = new Command('keys').description('manage the API keys of the prober (`mailprobe serve`)');

  addStoreOptions(
    keys
      .command('create')
      .description('create a key and print it alone on stdout (shown once; only its hash is stored)')
      .requiredOption('--name <name>', 'who the key is for (shown by `keys list` and GET /v1/me)')
      .option('--requests-per-minute <n>', 'request rate limit of this key', positiveInteger)
      .option('--quota <n>', 'verifications this key may make in total', positiveInteger),
  ).action(async (flags: StoreFlags & { name: string; requestsPerMinute?: number; quota?: number }) => {
    await withStores(flags, io, async (stores, defaults) => {
      const { createApiKey } = await import('@mailprobe/prober');
      const { key } = await createApiKey(stores.keys, flags.name, {
        requestsPerMinute: flags.requestsPerMinute ?? defaults.requestsPerMinute,
        quota: flags.quota ?? defaults.quota,
      });
      io.stdout(`${key}\n`);
    });
  });

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
      .command('webhook-secret')
      .description(
        'print the secret completion webhooks are signed with (unless MAILPROBE_WEBHOOK_SECRET is set)',
      ),
  ).action(async (flags: StoreFlags) => {
    await withStores(flags, io, async (stores) => {
      io.stdout(`${await stores.webhookSecret()}\n`);
    });
  });

  return keys;
}
