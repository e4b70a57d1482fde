import type { Socket } from 'node:net';
import { commands, encodeCommands } from './command.js';
import { SmtpProtocolError } from './errors.js';
import { type ReplyLimits, ReplyParser } from './reply-parser.js';
import type { PhaseTimers } from './timers.js';
import type { Transcript } from './transcript.js';
import type { SessionFailureKind, SmtpReply, SmtpTimeouts } from './types.js';

/** Why the dialogue stopped early; turned into the outcome's `failure` (or a rejection, when aborted). */
export class SessionInterrupt extends Error {
  override readonly name = 'SessionInterrupt';
  readonly kind: SessionFailureKind | 'aborted';
  /** e.g. `greeting_timeout`, `connection_closed`, `line_too_long`, `ECONNREFUSED`. */
  readonly code: string;
  readonly reply: SmtpReply | undefined;

  constructor(kind: SessionFailureKind | 'aborted', code: string, reply?: SmtpReply) {
    super(code);
    this.kind = kind;
    this.code = code;
    this.reply = reply;
  }
}

type ReplyPhase = 'greeting' | 'command';

/** One expected reply: every command sent is paired with exactly one waiter. */
interface Waiter {
  phase: ReplyPhase;
  /** After this reply the stream switches to TLS: whatever follows in plaintext is discarded. */
  upgrade: boolean;
  resolve: (reply: SmtpReply) => void;
  reject: (interrupt: SessionInterrupt) => void;
}

interface ChannelOptions {
  timers: PhaseTimers;
  timeouts: SmtpTimeouts;
  transcript: Transcript;
  limits?: Partial<ReplyLimits>;
}

const ignore = (): void => {};

/**
 * The command/reply pairing over one socket (plain, then perhaps TLS): commands are written, replies parsed
 * and handed to waiters in order. A reply with no waiter is a protocol error (an unsolicited 421 ends the
 * session instead). A reply timer runs whenever a waiter is pending.
 */
export class SmtpChannel {
  readonly #options: ChannelOptions;
  #socket: Socket | null = null;
  #parser: ReplyParser;
  #waiters: Waiter[] = [];
  #failure: SessionInterrupt | null = null;
  #discarding = false;
  /** When the head waiter's wait began: its command was sent, or the reply before it arrived. */
  #replyClockStartedAt = 0;
  #replyTimerArmed = false;
  #quitting = false;
  #replyTimerDeadline = 0;

  constructor(socket: Socket, options: ChannelOptions) {
    this.#options = options;
    this.#parser = new ReplyParser(options.limits);
    this.attach(socket);
  }

  /** The socket is still there to write a last QUIT to. */
  get writable(): boolean {
    const socket = this.#socket;
    return socket !== null && !socket.destroyed && socket.writable;
  }

  get failed(): boolean {
    return this.#failure !== null;
  }

  /** Waits for the server's greeting (no command precedes it). */
  expectGreeting(): Promise<SmtpReply> {
    return this.#expect('greeting', false);
  }

  /**
   * Writes `lines` in one socket write (a pipelined group when there are several) and returns one promise per
   * line for its reply; with `upgrade`, the last line is STARTTLS (whatever follows its 220 is discarded).
   * Throws {@link UnsafeCommandError} before writing anything if any line is unsafe.
   */
  send(lines: readonly string[], upgrade = false): Promise<SmtpReply>[] {
    const payload = encodeCommands(lines);
    // Built by push, not map: one array layout for every caller, so the code reading the replies is optimised once.
    const replies: Promise<SmtpReply>[] = [];
    for (let index = 0; index < lines.length; index += 1) {
      replies.push(this.#expect('command', upgrade && index === lines.length - 1));
    }
    if (!this.#failure && this.#socket) {
      for (const line of lines) this.#options.transcript.client(line);
      this.#socket.write(payload);
    }
    return replies;
  }

  /**
   * Sends QUIT and waits up to `waitMs` for its reply — or, when the dialogue already failed, only for the
   * bytes to leave. Never throws.
   */
  async quit(waitMs: number): Promise<void> {
    const socket = this.#socket;
    if (!socket || !this.writable) return;
    this.#quitting = true;
    const { timers, transcript } = this.#options;
    if (this.#failure) {
      const payload = encodeCommands([commands.quit()]);
      transcript.client(commands.quit());
      await new Promise<void>((resolve) => {
        timers.set('quit', waitMs, resolve);
        socket.write(payload, () => resolve());
      });
      timers.clear('quit');
      return;
    }
    const [reply] = this.send([commands.quit()]);
    timers.set('quit', waitMs, () => this.fail(new SessionInterrupt('timeout', 'quit_timeout')));
    await reply?.catch(ignore);
    timers.clear('quit');
  }

  /** Rejects every pending waiter (and all future ones) with `interrupt`; the first failure wins. */
  fail(interrupt: SessionInterrupt): void {
    if (this.#failure) return;
    this.#failure = interrupt;
    this.#options.timers.clear('reply');
    this.#replyTimerArmed = false;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(interrupt);
  }

  /**
   * Hands the socket over for a TLS upgrade: listeners removed, every buffered byte discarded (RFC 3207 §4.2:
   * nothing received before the handshake may be trusted). Call {@link attach} with the TLS socket next.
   */
  detach(): Socket {
    const socket = this.#socket;
    if (!socket || this.#waiters.length > 0) throw new Error('SmtpChannel.detach: replies are still pending');
    const buffered = this.#parser.bufferedBytes;
    if (buffered > 0)
      this.#options.transcript.note(`discarded ${buffered} bytes received after the STARTTLS reply`);
    socket.off('data', this.#onData);
    socket.off('close', this.#onClose);
    this.#socket = null;
    this.#parser.reset();
    return socket;
  }

  /** Reads and writes through `socket` from now on, with a fresh parser. */
  attach(socket: Socket): void {
    this.#socket = socket;
    this.#parser = new ReplyParser(this.#options.limits);
    this.#discarding = false;
    socket.on('data', this.#onData);
    socket.on('close', this.#onClose);
  }

  #expect(phase: ReplyPhase, upgrade: boolean): Promise<SmtpReply> {
    const reply = new Promise<SmtpReply>((resolve, reject) => {
      if (this.#failure) {
        reject(this.#failure);
        return;
      }
      this.#waiters.push({ phase, upgrade, resolve, reject });
      if (this.#waiters.length === 1) {
        this.#replyClockStartedAt = performance.now();
        this.#armReplyTimer();
      }
    });
    // Pipelined replies may never be awaited once the session has failed; that must not be an unhandled rejection.
    reply.catch(ignore);
    return reply;
  }

  /**
   * One timer watches the head waiter's reply, measured from the previous reply (or from the send when none was
   * pending). It is armed once and, when it fires early because replies came meanwhile, re-armed for the time
   * left: re-arming a timer for every reply of a pipelined group costs more than the replies themselves.
   */
  #armReplyTimer(): void {
    const head = this.#waiters[0];
    if (!head) return;
    const deadline = this.#replyClockStartedAt + this.#replyTimeoutMs(head);
    if (this.#replyTimerArmed && this.#replyTimerDeadline <= deadline) return;
    this.#replyTimerArmed = true;
    this.#replyTimerDeadline = deadline;
    this.#options.timers.set('reply', deadline - performance.now(), this.#onReplyTimer);
  }

  #replyTimeoutMs(waiter: Waiter): number {
    const { timeouts } = this.#options;
    return waiter.phase === 'greeting' ? timeouts.greetingMs : timeouts.commandMs;
  }

  readonly #onReplyTimer = (): void => {
    this.#replyTimerArmed = false;
    const head = this.#waiters[0];
    if (!head || this.#failure) return;
    if (performance.now() - this.#replyClockStartedAt < this.#replyTimeoutMs(head)) {
      this.#armReplyTimer();
      return;
    }
    this.#options.transcript.note(`${head.phase}_timeout`);
    this.fail(new SessionInterrupt('timeout', `${head.phase}_timeout`));
  };

  readonly #onData = (chunk: Buffer): void => {
    if (this.#failure || this.#discarding) return;
    let replies: SmtpReply[];
    try {
      replies = this.#parser.push(chunk);
    } catch (error) {
      if (!SmtpProtocolError.isInstance(error)) throw error;
      this.#options.transcript.note(`protocol error: ${error.code}: ${error.message}`);
      this.fail(new SessionInterrupt('protocol', error.code));
      return;
    }
    for (const reply of replies) {
      if (this.#failure || this.#discarding) return;
      for (const line of reply.lines) this.#options.transcript.server(line);
      this.#deliver(reply);
    }
  };

  #deliver(reply: SmtpReply): void {
    const waiter = this.#waiters.shift();
    if (!waiter) {
      // RFC 5321 §3.8: a server may send 421 at any moment before it closes the channel.
      const interrupt =
        reply.code === 421
          ? new SessionInterrupt('reply', 'service_closing', reply)
          : new SessionInterrupt('protocol', 'unexpected_reply');
      if (reply.code !== 421) this.#options.transcript.note('protocol error: a reply nobody asked for');
      this.fail(interrupt);
      return;
    }
    if (waiter.upgrade && reply.code === 220) this.#discarding = true;
    this.#replyClockStartedAt = performance.now();
    this.#armReplyTimer();
    waiter.resolve(reply);
  }

  readonly #onClose = (): void => {
    this.#options.transcript.note('connection closed');
    // After QUIT was answered (or a failure recorded) a close tells nobody anything: no error object for it.
    if (this.#failure || (this.#quitting && this.#waiters.length === 0)) return;
    this.fail(new SessionInterrupt('connection', 'connection_closed'));
  };
}
