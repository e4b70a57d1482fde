// What a SOCKS5 egress costs: the same list direct and through microsocks on loopback (prints figures; asserts
// nothing). Run: node --conditions=@mailprobe/source --import tsx packages/engine/bench/socks5.ts
import { type FakeDomain, startFakeInternet, startMicrosocks } from '@mailprobe/test-kit';
import { createEngine, type EngineOptionsInput } from '../src/index.js';

const DOMAINS = 50;
const ADDRESSES_PER_DOMAIN = 10;
const REPLY_DELAY_MS = 5;

const domains: Record<string, FakeDomain> = {};
const addresses: string[] = [];
for (let index = 0; index < DOMAINS; index += 1) {
  const domain = `d${index}.test`;
  const boxes = Array.from({ length: ADDRESSES_PER_DOMAIN }, (_, box) => `user${box}@${domain}`);
  domains[domain] = {
    mx: [{ host: `mx.${domain}`, smtp: { replyDelayMs: REPLY_DELAY_MS, mailboxes: boxes } }],
  };
  addresses.push(...boxes);
}

const internet = await startFakeInternet({ domains });
const proxy = await startMicrosocks({ egressAddress: '127.0.8.1' });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function run(label: string, overrides: EngineOptionsInput): Promise<void> {
  const engine = createEngine({
    ...internet.engineOptions,
    defaultHeloName: 'bench.mailprobe.test',
    ...overrides,
  });
  try {
    await engine.verify('user0@d0.test');
    const started = performance.now();
    const results = await engine.verifyMany(addresses);
    const wallMs = performance.now() - started;
    const connects = results.map((result) => result.timings.connectMs);
    const valid = results.filter((result) => result.status === 'VALID').length;
    console.log(
      `${label.padEnd(8)} ${addresses.length} addresses, ${DOMAINS} MX: ${wallMs.toFixed(0)} ms wall, ` +
        `median connect ${median(connects)} ms, ${valid} VALID`,
    );
  } finally {
    await engine.close();
  }
}

try {
  await run('direct', {});
  await run('socks5', { proxies: [{ name: 'bench', url: proxy.url }] });
} finally {
  await proxy.close();
  await internet.close();
}
