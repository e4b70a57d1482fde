// Issue 23 item 7: a client trickling a body into the receiver is timed out (the signature covers the body, so it
// cannot be refused before the body is read). Real HTTP on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { createEventQueue } from '../store/event-queue.js';
import { createReplayGuard } from '../store/replay-guard.js';
import { createWebhookReceiver, WEBHOOK_RECEIVER_DEFAULTS } from './receiver.js';

const REQUEST_TIMEOUT_MS = 1000;
/** How late the timeout may come on a loaded machine. */
const SLACK_MS = 2000;

let dataDir: string;
let database: ReturnType<typeof openDatabase>;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailprobe-hubspot-timeouts-'));
  database = openDatabase(dataDir);
  app = createWebhookReceiver({
    settings: {
      ...WEBHOOK_RECEIVER_DEFAULTS,
      clientSecret: 'a-client-secret',
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: 300,
    },
    queue: createEventQueue(database),
    replayGuard: createReplayGuard(database),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app?.close();
  database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Trickles a body one byte every 200 ms; resolves with what came back and when the receiver closed. */
function trickle(): Promise<{ answer: string; closedAfterMs: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1');
    socket.write(
      `POST ${WEBHOOK_RECEIVER_DEFAULTS.path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
        'content-length: 100000\r\n\r\n[',
    );
    const timer = setInterval(() => socket.write(' '), 200);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: performance.now() - started });
    });
  });
}

it('closes connections trickling a body once the request timeout has passed (408)', async () => {
  const results = await Promise.all(Array.from({ length: 5 }, trickle));
  for (const { answer, closedAfterMs } of results) {
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThan(REQUEST_TIMEOUT_MS - 100);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
  }
  const open = await new Promise<number>((resolve, reject) =>
    app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
  expect(open).toBe(0);
});
