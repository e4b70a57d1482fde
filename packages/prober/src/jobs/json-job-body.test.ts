import { Readable } from 'node:stream';
import { MAX_EMAIL_LENGTH } from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { ProberError } from '../errors.js';
import { type JobBodyEvent, jsonJobBody, MAX_JSON_DEPTH, MAX_JSON_TOKEN_BYTES } from './json-job-body.js';

const LIMIT = 1024 * 1024;

/** Feeds `text` in chunks of `chunkBytes`, so tokens are split across chunk boundaries. */
function streamOf(text: string, chunkBytes = 7): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    chunks.push(bytes.subarray(offset, offset + chunkBytes));
  }
  return Readable.from(chunks);
}

async function collect(
  text: string,
  options: { maxBytes?: number; maxEmails?: number; maxDepth?: number } = {},
) {
  const events: JobBodyEvent[] = [];
  for await (const event of jsonJobBody(streamOf(text), { maxBytes: LIMIT, ...options })) events.push(event);
  return events;
}

async function failure(
  text: string,
  options: { maxBytes?: number; maxEmails?: number; maxDepth?: number } = {},
) {
  try {
    await collect(text, options);
  } catch (error) {
    if (!ProberError.isInstance(error)) throw error;
    return { code: error.code, status: error.statusCode, message: error.message };
  }
  throw new Error('expected the body to be refused');
}

describe('jsonJobBody', () => {
  it('yields addresses and the callback URL in body order', async () => {
    const events = await collect(
      JSON.stringify({
        emails: ['a@example.test', 'ünïcode@exämple.test', 'broken@'],
        callbackUrl: 'https://hooks.example.com/done',
      }),
    );
    expect(events).toEqual([
      { kind: 'email', address: 'a@example.test' },
      { kind: 'email', address: 'ünïcode@exämple.test' },
      { kind: 'email', address: 'broken@' },
      { kind: 'callbackUrl', url: 'https://hooks.example.com/done' },
    ]);
  });

  it('yields addresses while the body is still arriving', async () => {
    const body = new Readable({ read() {} });
    const iterator = jsonJobBody(body, { maxBytes: LIMIT })[Symbol.asyncIterator]();
    body.push('{"emails":["first@example.test",');
    expect((await iterator.next()).value).toEqual({ kind: 'email', address: 'first@example.test' });
    body.push('"second@example.test"]}');
    body.push(null);
    expect((await iterator.next()).value).toEqual({ kind: 'email', address: 'second@example.test' });
    expect((await iterator.next()).done).toBe(true);
  });

  it('names the field of a wrong value, like the contract schema', async () => {
    expect(await failure('{"emails":["a@b.test",7]}')).toMatchObject({
      status: 400,
      message: 'body.emails.1: expected a string',
    });
    expect((await failure('{"emails":"a@b.test"}')).message).toBe('body.emails: expected an array');
    expect((await failure('{"emails":["a@b.test"],"callbackUrl":3}')).message).toBe(
      'body.callbackUrl: expected a string',
    );
    expect((await failure(`{"emails":["${'a'.repeat(MAX_EMAIL_LENGTH)}@b.test"]}`)).message).toMatch(
      /^body\.emails\.0: longer than/,
    );
    expect((await failure('{"emails":[]}')).message).toBe('body.emails: expected at least 1 address');
    expect((await failure('{"callbackUrl":"https://x.example"}')).message).toBe('body.emails: required');
    expect((await failure('["a@b.test"]')).message).toBe('body: expected a JSON object');
    expect((await failure('')).message).toBe('body: expected a JSON object');
    expect((await failure('{"emails":["a@b.test"],"emails":["c@d.test"]}')).message).toBe(
      'body.emails: given more than once',
    );
    expect((await failure('{"emails":["a@b.test","c@d.test","e@f.test"]}', { maxEmails: 2 })).message).toBe(
      'body.emails: more than 2 addresses',
    );
  });

  it('refuses malformed JSON with the byte position', async () => {
    const lexical = await failure('{"emails":["a@b.test" x]}');
    expect(lexical).toMatchObject({ code: 'bad_request', status: 400 });
    expect(lexical.message).toMatch(/malformed JSON .*position.*22/);
    const grammar = await failure('{"emails":["a@b.test",,"c@d.test"]}');
    expect(grammar.message).toMatch(/^malformed JSON at position 22/);
    expect((await failure('{"emails":["a@b.test"')).message).toMatch(/ended early, at position 21/);
    expect((await failure('{"emails":["a@b.test"]} {}')).message).toMatch(/^malformed JSON at position 24/);
  });

  it('bounds memory: over-long tokens → 400, bodies over the limit → 413', async () => {
    const longToken = await failure(
      `{"emails":["a@b.test"],"callbackUrl":"${'y'.repeat(MAX_JSON_TOKEN_BYTES * 2)}"}`,
    );
    expect(longToken.message).toMatch(/a value longer than/);
    const body = JSON.stringify({ emails: Array.from({ length: 500 }, (_, i) => `user${i}@example.test`) });
    expect(await failure(body, { maxBytes: 1000 })).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('refuses an unknown top-level field before reading its value', async () => {
    expect(await failure(JSON.stringify({ emails: ['a@example.test'], note: { nested: [1, 2] } }))).toEqual({
      code: 'bad_request',
      status: 400,
      message: expect.stringMatching(/^body\.note: unknown field/),
    });
    // Even when it comes first, and whatever follows it (the value is never parsed).
    expect((await failure('{"junk": [[[[ not json at all')).message).toMatch(/^body\.junk: unknown field/);
  });

  it('refuses nesting deeper than the depth limit before the grammar check', async () => {
    expect(MAX_JSON_DEPTH).toBeLessThanOrEqual(8);
    expect(await failure('{"emails":["a@example.test"]}', { maxDepth: 1 })).toEqual({
      code: 'bad_request',
      status: 400,
      message: 'body: nested deeper than 1 levels at position 10',
    });
    // The attacks of issue #12: 100,000 levels in an unused field, in `emails`, in `callbackUrl`. The grammar
    // check alone needs seconds for each; they are refused at the first token that does not fit.
    const levels = 100_000;
    const nest = `${'['.repeat(levels)}${']'.repeat(levels)}`;
    for (const body of [
      `{"emails":["a@x.test"],"junk":${nest}}`,
      `{"emails":${nest}}`,
      `{"emails":["a@x.test"],"callbackUrl":${nest}}`,
      `${nest}`,
    ]) {
      const started = performance.now();
      expect((await failure(body)).status).toBe(400);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});
