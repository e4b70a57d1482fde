import { describe, expect, it } from 'vitest';
import { classifyIp, isAllowedTarget } from './ip-policy.js';

describe('isAllowedTarget (SSRF guard)', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    // IPv4-compatible (::/96) and other IPv6 forms that embed an IPv4 are judged by that IPv4.
    ['::7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['::2', 'unspecified'],
    ['::a9fe:a9fe', 'linkLocal'],
    ['::10.0.0.1', 'private'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b:1::7f00:1', 'loopback'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:a9fe:a9fe::', 'linkLocal'],
    ['2001::1', 'teredo'],
  ])('refuses %s (%s) unless private targets are allowed', (ip, range) => {
    expect(classifyIp(ip)).toBe(range);
    expect(isAllowedTarget(ip, false)).toBe(false);
    expect(isAllowedTarget(ip, true)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '142.250.102.27',
    '2a00:1450:400c:c00::1b',
    '::ffff:8.8.8.8',
    '::8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows public %s', (ip) => {
    expect(isAllowedTarget(ip, false)).toBe(true);
  });

  it('never connects to something that is not an IP', () => {
    expect(isAllowedTarget('mx.example.com', true)).toBe(false);
  });
});
