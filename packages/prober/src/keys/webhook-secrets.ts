import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { ProberConfig } from '../config.js';
import { ProberError } from '../errors.js';
import type { Stores } from '../stores/create-stores.js';
import type { StoredSigningSecrets, WebhookStore } from '../stores/webhook-types.js';

/** Prefix of a per-key webhook signing secret, so one is recognisable in a config or a leak scan. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const FORMAT_VERSION = 'v1';
const HKDF_INFO = 'mailprobe webhook signing secrets v1';

/** A key's signing secret could not be read: the encryption key changed, or the record was altered. */
export class WebhookSecretError extends ProberError {
  constructor(message: string) {
    super('webhook_secret_unreadable', message, 500);
    this.name = 'WebhookSecretError';
  }
}

/**
 * Why encrypted and not hashed: HMAC signing needs the secret itself, so a hash cannot sign. The secret is
 * encrypted (AES-256-GCM, the key id as associated data so a record cannot be moved to another key) with a key
 * derived from the server key: `webhook.secretsKey` when configured — then a copy of the database or a Redis dump
 * alone cannot sign — otherwise the server-wide secret the store keeps (a 0600 file beside the embedded database,
 * a Redis key in a fleet), which guards against a leaked database file or backup but not against a full copy of
 * the data folder or of Redis.
 */
export class WebhookSecrets {
  private readonly aesKey: Promise<Buffer>;

  constructor(
    private readonly store: WebhookStore,
    serverKey: () => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {
    this.aesKey = serverKey().then((key) =>
      Buffer.from(hkdfSync('sha256', key, 'mailprobe', HKDF_INFO, SECRET_BYTES)),
    );
    // A failure is reported by the first call that needs the key.
    this.aesKey.catch(() => {});
  }

  /** Gives a new key its secret; returns it (shown once, never again). */
  async create(keyId: string): Promise<string> {
    const secret = newSecret();
    await this.store.putSecrets({
      keyId,
      current: await this.seal(keyId, secret),
      previous: null,
      previousUntil: null,
      updatedAt: new Date(this.now()).toISOString(),
    });
    return secret;
  }

  /**
   * Replaces a key's secret; the one it replaces keeps signing (beside the new one) for `overlapMs`, so
   * receivers can switch without losing a delivery. A key without a secret (created before per-key secrets) gets
   * its first, with `legacySecret` (the server-wide one that signed for it so far) as the one kept for the
   * overlap. Returns the new secret and when the old one stops signing (null: at once).
   */
  async rotate(
    keyId: string,
    overlapMs: number,
    legacySecret: string | null = null,
  ): Promise<{ secret: string; previousUntil: string | null }> {
    const stored = await this.store.getSecrets(keyId);
    const previous = stored?.current ?? (legacySecret === null ? null : await this.seal(keyId, legacySecret));
    const keepPrevious = previous !== null && overlapMs > 0;
    const previousUntil = keepPrevious ? this.now() + overlapMs : null;
    const secret = newSecret();
    await this.store.putSecrets({
      keyId,
      current: await this.seal(keyId, secret),
      previous: keepPrevious ? previous : null,
      previousUntil,
      updatedAt: new Date(this.now()).toISOString(),
    });
    return { secret, previousUntil: previousUntil === null ? null : new Date(previousUntil).toISOString() };
  }

  /** The secrets a delivery for this key is signed with: the current one, then the previous one during its overlap; empty when the key has none. */
  async signingSecrets(keyId: string): Promise<string[]> {
    const stored = await this.store.getSecrets(keyId);
    if (!stored) return [];
    const secrets = [await this.open(stored, stored.current)];
    if (stored.previous && stored.previousUntil !== null && stored.previousUntil > this.now()) {
      secrets.push(await this.open(stored, stored.previous));
    }
    return secrets;
  }

  private async seal(keyId: string, secret: string): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, await this.aesKey, iv);
    cipher.setAAD(Buffer.from(keyId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [FORMAT_VERSION, iv, sealed, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  private async open(stored: StoredSigningSecrets, sealed: string): Promise<string> {
    const [version, iv, data, tag] = sealed.split('.');
    if (version !== FORMAT_VERSION || !iv || !data || !tag) {
      throw new WebhookSecretError(`the webhook secret of key ${stored.keyId} is not in a known format`);
    }
    try {
      const decipher = createDecipheriv(CIPHER, await this.aesKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(stored.keyId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new WebhookSecretError(
        `the webhook secret of key ${stored.keyId} cannot be decrypted (was webhook.secretsKey changed?)`,
      );
    }
  }
}

function newSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

/** The per-key secrets of a node's stores, keyed by `webhook.secretsKey` or the store's server-wide secret. */
export function openWebhookSecrets(stores: Stores, config: Pick<ProberConfig, 'webhook'>): WebhookSecrets {
  return new WebhookSecrets(
    stores.webhookStore,
    async () => config.webhook.secretsKey ?? stores.webhookSecret(),
  );
}

/**
 * The secrets a key's deliveries are signed with: its own (two during a rotation's overlap), or, for a key
 * created before per-key secrets, the server-wide one (`webhook.secret` or the store's) until it is rotated.
 */
export function signingSecretsOf(
  secrets: WebhookSecrets,
  stores: Stores,
  config: Pick<ProberConfig, 'webhook'>,
): (keyId: string) => Promise<string[]> {
  return async (keyId) => {
    const own = await secrets.signingSecrets(keyId);
    if (own.length > 0) return own;
    return [config.webhook.secret ?? (await stores.webhookSecret())];
  };
}
