import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, generateApiKey, parseApiKey, secretMatches } from './api-key.js';

describe('api keys', () => {
  it('generates a key whose secret matches only its own hash', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    expect(first.key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(first.key).not.toBe(second.key);
    const parsed = parseApiKey(first.key);
    expect(parsed?.id).toBe(first.id);
    expect(first.key).not.toContain(first.secretHash);
    expect(secretMatches(parsed?.secret ?? '', first.secretHash)).toBe(true);
    expect(secretMatches(parsed?.secret ?? '', second.secretHash)).toBe(false);
  });

  it('rejects strings that are not shaped like a key', () => {
    const { key } = generateApiKey();
    expect(parseApiKey(key.slice(0, -1))).toBeNull();
    expect(parseApiKey(key.replace(API_KEY_PREFIX, 'xyz_'))).toBeNull();
    expect(parseApiKey(`${key}x`)).toBeNull();
    expect(parseApiKey('')).toBeNull();
    expect(secretMatches('anything', 'not-hex')).toBe(false);
  });
});
