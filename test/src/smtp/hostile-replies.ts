import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { SMTP_LIMITS } from './fake-smtp-options.js';

const GARBAGE_LINE_BYTES = 64;
const HIGH_BIT = 0x80;

/** Random bytes that can never parse as a reply: every byte has the high bit set, lines end in CRLF. */
export function garbage(): Buffer {
  const bytes = Buffer.from(randomBytes(SMTP_LIMITS.garbageBytes).map((byte) => byte | HIGH_BIT));
  const lines: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += GARBAGE_LINE_BYTES) {
    lines.push(bytes.subarray(offset, offset + GARBAGE_LINE_BYTES), Buffer.from('\r\n'));
  }
  return Buffer.concat(lines);
}

/** Chunks of a greeting that never ends its line (until the cap), for 'huge-line'. */
function* hugeLine(): Generator<string> {
  yield '220 ';
  const filler = 'x'.repeat(SMTP_LIMITS.hostileChunkBytes);
  for (let sent = 0; sent < SMTP_LIMITS.hostileReplyCapBytes; sent += filler.length) yield filler;
  yield '\r\n';
}

/** Chunks of a greeting with continuation lines (until the cap), for 'endless-multiline'. */
function* endlessMultiline(hostname: string): Generator<string> {
  const linesPerChunk = 1024;
  let lineNumber = 0;
  for (let sent = 0; sent < SMTP_LIMITS.hostileReplyCapBytes; ) {
    let chunk = '';
    for (let index = 0; index < linesPerChunk; index++) {
      lineNumber += 1;
      chunk += `220-${hostname} continuation line ${lineNumber}\r\n`;
    }
    sent += chunk.length;
    yield chunk;
  }
  yield `220 ${hostname} ESMTP finally\r\n`;
}

/** Stream a hostile greeting, respecting backpressure, until it is all sent or the client is gone. */
export function streamHostileGreeting(
  socket: Socket,
  behaviour: 'huge-line' | 'endless-multiline',
  hostname: string,
): void {
  const chunks = behaviour === 'huge-line' ? hugeLine() : endlessMultiline(hostname);
  const writeMore = () => {
    for (let next = chunks.next(); !next.done; next = chunks.next()) {
      if (socket.destroyed) return;
      if (!socket.write(next.value)) {
        socket.once('drain', writeMore);
        return;
      }
    }
  };
  writeMore();
}
