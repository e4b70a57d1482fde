import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key starts with this, so leaked keys are easy to spot by secret scanners. */
export const API_KEY_PREFIX = 'mpk_';
const KEY_ID_BYTES = 6;
const SECRET_BYTES = 32;
const KEY_ID_PATTERN = /^[0-9a-f]{12}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface GeneratedApiKey {
  /** Public identifier, used to look the key up and shown in `keys list`. */
  id: string;
  /** The full key, shown once: `mpk_<id>_<secret>`. */
  key: string;
  /** SHA-256 of the secret (hex); the only thing stored. */
  secretHash: string;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a new key: a 6-byte id and a 32-byte random secret. */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(KEY_ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { id, key: `${API_KEY_PREFIX}${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a presented key into id and secret; null when it is not shaped like a key. */
export function parseApiKey(presented: string): { id: string; secret: string } | null {
  if (!presented.startsWith(API_KEY_PREFIX)) return null;
  const rest = presented.slice(API_KEY_PREFIX.length);
  const id = rest.slice(0, 12);
  const secret = rest.slice(13);
  if (rest[12] !== '_' || !KEY_ID_PATTERN.test(id) || !SECRET_PATTERN.test(secret)) return null;
  return { id, secret };
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(secret).digest();
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
