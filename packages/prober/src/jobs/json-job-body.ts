import type { Readable } from 'node:stream';
import { CreateJobRequestSchema, MAX_EMAIL_LENGTH, MAX_JOB_ADDRESSES } from '@mailprobe/core';
import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import { ProberError } from '../errors.js';

/** Longest single JSON token (or run of whitespace) buffered while the body streams in. */
export const MAX_JSON_TOKEN_BYTES = 64 * 1024;

/**
 * Deepest nesting of arrays and objects a job body may have. The contract's body is two levels deep
 * (`{ "emails": [ … ] }`); the margin leaves room for a structured field later. Checked on each token before the
 * grammar check sees it: the grammar's work grows with the square of the depth (100,000 levels held the event
 * loop for seconds), the count costs nothing.
 */
export const MAX_JSON_DEPTH = 4;

/** Top-level fields a job body may have: those of the contract's schema. Others are refused, not skipped. */
const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(CreateJobRequestSchema.shape));

/** What a streamed `{ emails, callbackUrl? }` body yields, in body order. */
export type JobBodyEvent = { kind: 'email'; address: string } | { kind: 'callbackUrl'; url: string };

export interface JsonJobBodyOptions {
  /** Larger bodies → 413. */
  maxBytes: number;
  /** Most entries in `emails` (before de-duplication), the contract's MAX_JOB_ADDRESSES by default. */
  maxEmails?: number;
  /** Deepest nesting allowed, MAX_JSON_DEPTH by default. */
  maxDepth?: number;
}

// The TokenParser checks the grammar only: this selector matches nothing a client could mean, and with
// keepStack off every finished value is dropped, so memory stays bounded whatever the body holds.
const GRAMMAR_ONLY_PATHS = ['$.\u0000grammar-only'];

const VALUE_STARTS = new Set<TokenType>([
  TokenType.LEFT_BRACE,
  TokenType.LEFT_BRACKET,
  TokenType.STRING,
  TokenType.NUMBER,
  TokenType.TRUE,
  TokenType.FALSE,
  TokenType.NULL,
]);

function badRequest(message: string): ProberError {
  return new ProberError('bad_request', message, 400);
}

/**
 * Follows the shape `{ "emails": [string…], "callbackUrl"?: string }` over a token stream the grammar
 * check already accepted, without building values. Errors name the field (`body.emails.3`) like the contract's
 * schema validation does.
 */
class JobBodyShape {
  private depth = 0;
  private expectKey = false;
  private key: string | null = null;
  private inEmails = false;
  private sawRoot = false;
  private sawEmails = false;
  private sawCallbackUrl = false;
  private count = 0;

  constructor(
    private readonly maxEmails: number,
    private readonly emit: (event: JobBodyEvent) => void,
  ) {}

  token(token: TokenType, value: unknown): void {
    if (this.depth === 0) {
      if (token !== TokenType.LEFT_BRACE) throw badRequest('body: expected a JSON object');
      this.sawRoot = true;
      this.depth = 1;
      this.expectKey = true;
      return;
    }
    if (this.depth === 1) {
      this.rootMember(token, value);
      return;
    }
    if (this.inEmails && this.depth === 2) {
      this.emailsMember(token, value);
      return;
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) this.depth += 1;
    if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) this.depth -= 1;
  }

  /** Whether the body began a JSON value at all. */
  get started(): boolean {
    return this.sawRoot;
  }

  /** The body ended and the grammar check passed: were the required fields there? */
  finish(): void {
    if (!this.sawRoot) throw badRequest('body: expected a JSON object');
    if (!this.sawEmails) throw badRequest('body.emails: required');
    if (this.count === 0) throw badRequest('body.emails: expected at least 1 address');
  }

  private rootMember(token: TokenType, value: unknown): void {
    if (token === TokenType.RIGHT_BRACE) {
      this.depth = 0;
      return;
    }
    if (token === TokenType.COMMA) {
      this.expectKey = true;
      return;
    }
    if (token === TokenType.COLON) return;
    if (this.expectKey && token === TokenType.STRING) {
      this.key = value as string;
      if (!KNOWN_FIELDS.has(this.key)) {
        throw badRequest(
          `body.${this.key.slice(0, 64)}: unknown field (expected ${[...KNOWN_FIELDS].join(', ')})`,
        );
      }
      this.expectKey = false;
      return;
    }
    if (!VALUE_STARTS.has(token)) return;
    if (this.key === 'emails') {
      if (this.sawEmails) throw badRequest('body.emails: given more than once');
      if (token !== TokenType.LEFT_BRACKET) throw badRequest('body.emails: expected an array');
      this.sawEmails = true;
      this.inEmails = true;
    } else if (this.key === 'callbackUrl') {
      if (this.sawCallbackUrl) throw badRequest('body.callbackUrl: given more than once');
      if (token !== TokenType.STRING) throw badRequest('body.callbackUrl: expected a string');
      this.sawCallbackUrl = true;
      this.emit({ kind: 'callbackUrl', url: value as string });
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) this.depth += 1;
  }

  private emailsMember(token: TokenType, value: unknown): void {
    if (token === TokenType.RIGHT_BRACKET) {
      this.inEmails = false;
      this.depth = 1;
      return;
    }
    if (!VALUE_STARTS.has(token)) return;
    const field = `body.emails.${this.count}`;
    if (token !== TokenType.STRING) throw badRequest(`${field}: expected a string`);
    const address = value as string;
    if (address.length > MAX_EMAIL_LENGTH) {
      throw badRequest(`${field}: longer than ${MAX_EMAIL_LENGTH} characters`);
    }
    this.count += 1;
    if (this.count > this.maxEmails) {
      throw badRequest(`body.emails: more than ${this.maxEmails} addresses`);
    }
    this.emit({ kind: 'email', address });
  }
}

/**
 * Parses a `POST /v1/jobs` JSON body while it streams in and yields its addresses (and `callbackUrl`) as they
 * arrive, so a million addresses never sit in memory at once. Malformed JSON → 400 with the byte position;
 * a wrong or unknown field → 400 naming it; nesting deeper than MAX_JSON_DEPTH → 400; more than `maxBytes` → 413.
 */
export async function* jsonJobBody(
  body: Readable,
  options: JsonJobBodyOptions,
): AsyncGenerator<JobBodyEvent> {
  let pending: JobBodyEvent[] = [];
  const shape = new JobBodyShape(options.maxEmails ?? MAX_JOB_ADDRESSES, (event) => pending.push(event));
  const tokenizer = new Tokenizer();
  const grammar = new TokenParser({ paths: GRAMMAR_ONLY_PATHS, keepStack: false });
  grammar.onValue = () => {};
  let bytes = 0;
  let lastTokenAt = 0;
  let position = 0;
  let depth = 0;
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  tokenizer.onToken = (info) => {
    position = info.offset;
    lastTokenAt = info.offset;
    if (info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET) {
      depth += 1;
      if (depth > maxDepth) {
        throw badRequest(`body: nested deeper than ${maxDepth} levels at position ${info.offset}`);
      }
    } else if (info.token === TokenType.RIGHT_BRACE || info.token === TokenType.RIGHT_BRACKET) {
      depth -= 1;
    }
    try {
      grammar.write(info);
    } catch (error) {
      throw badRequest(`malformed JSON at position ${info.offset}: ${(error as Error).message}`);
    }
    shape.token(info.token, info.value);
  };
  const feed = (write: () => void) => {
    try {
      write();
    } catch (error) {
      if (ProberError.isInstance(error)) throw error;
      throw badRequest(`malformed JSON near position ${position}: ${(error as Error).message}`);
    }
  };

  // destroyOnReturn false: on an error the request must stay open for the 400/413 answer; what is left unread is
  // the request body watch's to drain or close (http/request-body.ts).
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > options.maxBytes) {
      throw new ProberError(
        'payload_too_large',
        `the JSON body is larger than ${options.maxBytes} bytes`,
        413,
      );
    }
    feed(() => tokenizer.write(chunk));
    if (bytes - lastTokenAt > MAX_JSON_TOKEN_BYTES) {
      throw badRequest(
        `malformed JSON at position ${lastTokenAt}: a value longer than ${MAX_JSON_TOKEN_BYTES} bytes`,
      );
    }
    if (pending.length > 0) {
      const ready = pending;
      pending = [];
      yield* ready;
    }
  }
  feed(() => tokenizer.end());
  if (!grammar.isEnded) {
    if (!shape.started) throw badRequest('body: expected a JSON object');
    throw badRequest(`malformed JSON: the body ended early, at position ${bytes}`);
  }
  yield* pending;
  shape.finish();
}
