// Peak RSS of a prober node while it takes one large JSON job upload (a measurement, not a test).
// Run: node --conditions=@mailprobe/source --import tsx test/src/e2e/prober-upload-memory.ts [addresses]
// The node runs in its own process (like `mailprobe serve`); its VmHWM (peak resident set) is read from /proc
// before and after the upload. Every domain is unknown to the fake DNS, so workers finish items fast (NXDOMAIN).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { startFakeDns } from '../index.js';
import { createKeyInStore, startJobUpload, type UploadAnswer } from './prober-api.js';
import { startProberProcess } from './prober-process.js';

const DEFAULT_ADDRESSES = 1_000_000;
const DOMAINS = 1000;
/** Addresses per chunk of the generated body. */
const BODY_CHUNK_ADDRESSES = 5000;
const MEBIBYTE = 1024 * 1024;

function peakRssMiB(pid: number): { peak: number; current: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { peak: field('VmHWM'), current: field('VmRSS') };
}

function* jsonBody(count: number): Generator<string> {
  yield '{"emails":[';
  for (let start = 0; start < count; start += BODY_CHUNK_ADDRESSES) {
    const parts: string[] = [];
    for (let index = start; index < Math.min(count, start + BODY_CHUNK_ADDRESSES); index += 1) {
      parts.push(`"user${index}@domain${index % DOMAINS}.test"`);
    }
    yield (start === 0 ? '' : ',') + parts.join(',');
  }
  yield ']}';
}

function upload(url: string, key: string, count: number): Promise<UploadAnswer> {
  const { outgoing, answer } = startJobUpload(url, key);
  Readable.from(jsonBody(count)).pipe(outgoing);
  return answer;
}

const count = Number(process.argv[2] ?? DEFAULT_ADDRESSES);
const dns = await startFakeDns({ zones: {} });
const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-upload-memory-'));
const key = await createKeyInStore({ dataDir, redisUrl: null }, 'memory');
const node = await startProberProcess({
  MAILPROBE_DATA_DIR: dataDir,
  MAILPROBE_DNS_SERVERS: dns.server,
  MAILPROBE_JOB_CONCURRENCY: '1',
  MAILPROBE_JOB_BODY_LIMIT_BYTES: String(512 * MEBIBYTE),
});
try {
  const pid = node.child.pid as number;
  const idle = peakRssMiB(pid);
  const started = performance.now();
  const answer = await upload(node.url, key, count);
  const seconds = (performance.now() - started) / 1000;
  const after = peakRssMiB(pid);
  console.log(
    JSON.stringify({
      addresses: count,
      status: answer.status,
      answer: answer.body.slice(0, 200),
      uploadSeconds: Number(seconds.toFixed(1)),
      idleRssMiB: Math.round(idle.current),
      peakRssMiB: Math.round(after.peak),
      rssAfterMiB: Math.round(after.current),
    }),
  );
} finally {
  await node.kill();
  await dns.close();
  await rm(dataDir, { recursive: true, force: true });
}
