import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL } from './constants.js';
import { isProberUrl, resolveApiBaseUrl } from './endpoint.js';

describe('resolveApiBaseUrl', () => {
  it('uses the hosted endpoint when the field is empty', () => {
    expect(resolveApiBaseUrl(undefined)).toBe(DEFAULT_API_URL);
    expect(resolveApiBaseUrl('  ')).toBe(DEFAULT_API_URL);
  });

  it('keeps a path prefix and drops trailing slashes', () => {
    expect(resolveApiBaseUrl(' https://mail.example.com/prober// ')).toBe('https://mail.example.com/prober');
    expect(resolveApiBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
  });

  it('refuses what is not a plain absolute http(s) URL', () => {
    for (const value of [
      'prober.example.com',
      'ftp://prober.example.com',
      'https://u:p@x.example',
      'https://x.example/?a=1',
      'https://x.example/#f',
    ]) {
      expect(resolveApiBaseUrl(value)).toBeNull();
    }
  });
});

describe('isProberUrl', () => {
  it('matches the base URL and paths below it only', () => {
    const base = 'https://mail.example.com/prober';
    expect(isProberUrl(`${base}/v1/me`, base)).toBe(true);
    expect(isProberUrl(`${base}?x=1`, base)).toBe(true);
    expect(isProberUrl('https://mail.example.com/prober-evil/v1/me', base)).toBe(false);
    expect(isProberUrl('https://mail.example.com.evil.test/prober/v1/me', base)).toBe(false);
  });
});
