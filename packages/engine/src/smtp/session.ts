import { isIP, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { onAbort } from '../abort.js';
import { type Capabilities, NO_CAPABILITIES, parseCapabilities } from './capabilities.js';
import { SessionInterrupt, SmtpChannel } from './channel.js';
import { commands } from './command.js';
import { SmtpSessionOptionsError } from './errors.js';
import { PhaseTimers } from './timers.js';
import { clientSecureContext } from './tls-sessions.js';
import { Transcript } from './transcript.js';
import type {
  GroupOutcome,
  ProbeAddress,
  RecipientGroup,
  RecipientOutcome,
  RecipientSkip,
  SessionFailure,
  SessionIdentity,
  SessionOutcome,
  SmtpReply,
  SmtpSessionOptions,
  SmtpStage,
} from './types.js';

// Whatever the cap, a new group needs room for its catch-all probe and one refused recipient.
const MIN_REJECTIONS_FOR_NEW_GROUP = 2;

/** Longest wait for the 221 after QUIT: the dialogue is over, the reply only lets the server close first. */
export const QUIT_REPLY_WAIT_MS = 1000;

/**
 * Probes `recipients` (and the catch-all probe) in one SMTP session, never sending DATA, and always ending
 * with QUIT while the socket is writable. Mailbox answers and server refusals are results, not exceptions;
 * it rejects only with the signal's reason when aborted, or on a programming error.
 */
export async function runSmtpSession<A extends ProbeAddress>(
  options: SmtpSessionOptions<A>,
): Promise<SessionOutcome<A>> {
  validateOptions(options);
  options.signal?.throwIfAborted();
  return new SmtpSession(options).run();
}

type SessionState =
  | 'idle'
  | 'connecting'
  | 'greeting'
  | 'ehlo'
  | 'helo'
  | 'starttls'
  | 'tls-handshake'
  | 'mail'
  | 'rcpt'
  | 'rset'
  | 'quit'
  | 'closed';

// Every state may also move to 'quit' (a last QUIT) or straight to 'closed' (nothing left to write to).
const NEXT_STATES: Record<SessionState, readonly SessionState[]> = {
  idle: ['connecting'],
  connecting: ['greeting'],
  greeting: ['ehlo'],
  ehlo: ['helo', 'starttls', 'mail'],
  helo: ['mail'],
  starttls: ['tls-handshake', 'mail'],
  'tls-handshake': ['ehlo'],
  mail: ['rcpt'],
  rcpt: ['rset'],
  rset: ['mail'],
  quit: [],
  closed: [],
};

const STAGE_OF: Record<SessionState, SmtpStage | null> = {
  idle: 'connect',
  connecting: 'connect',
  greeting: 'greeting',
  ehlo: 'ehlo',
  helo: 'ehlo',
  starttls: 'starttls',
  'tls-handshake': 'starttls',
  mail: 'mail',
  rset: 'mail',
  rcpt: 'rcpt',
  quit: null,
  closed: null,
};

/**
 * A RCPT to ask: one of the current group's recipients, or its catch-all probe. One shape for both (the probe's
 * index is -1), so the code that handles items sees one object layout and V8 optimises it once.
 */
type ProbeItem = { kind: 'recipient'; index: number } | { kind: 'catch-all'; index: -1 };

/** One group's request and what it has found so far. */
interface GroupState<A extends ProbeAddress> {
  /** The group as asked for, in one object layout whether or not it has a probe (read for every RCPT). */
  request: { recipients: readonly A[]; catchAllProbe: A | undefined };
  results: Array<RecipientOutcome<A> | undefined>;
  catchAll: SmtpReply | null;
}

interface TransactionResult {
  /** The session cannot continue (the failure is recorded), or its refusals reached `maxRejections`. */
  ended: boolean;
  /** RCPTs that got a reply other than "too many recipients". */
  answered: number;
  /** The RCPTs refused as "too many recipients", with their replies (back in `pending` to be asked again). */
  tooMany: { item: ProbeItem; reply: SmtpReply }[];
}

const ignore = (): void => {};
const isPositive = (reply: SmtpReply): boolean => reply.code >= 200 && reply.code < 300;
// RFC 5321 §4.5.3.1.10: 452 (formerly 552) with 4.5.3 when a transaction holds too many recipients. Such a refusal
// is asked again in a fresh transaction; given to the first RCPT of one, it is not about the number and is recorded
// as the recipient's answer (Gmail's "Domain policy size per transaction exceeded", "only one recipient allowed with
// null reverse address"), and the session goes on with the others.
export const isTooManyRecipients = (reply: SmtpReply): boolean =>
  (reply.code === 452 || reply.code === 552) &&
  (reply.enhancedCode?.endsWith('.5.3') === true || /too many recipients/i.test(reply.text));
const isAscii = (text: string): boolean => /^[\x20-\x7e]*$/.test(text);

class SmtpSession<A extends ProbeAddress> {
  readonly #options: SmtpSessionOptions<A>;
  readonly #timers = new PhaseTimers();
  readonly #transcript: Transcript;
  readonly #startedAt = performance.now();
  readonly #groups: GroupState<A>[] = [];
  /** Index in `#groups` of the group being asked. */
  #current = 0;
  /** Which group was being asked when the failure was recorded. */
  #failureGroup = 0;
  #transactions = 0;
  #identity: SessionIdentity;
  #localAddress: string | null = null;
  #state: SessionState = 'idle';
  #stage: SmtpStage = 'connect';
  #socket: Socket | null = null;
  #channel: SmtpChannel | null = null;
  #stop: { promise: Promise<never>; reject: (interrupt: SessionInterrupt) => void };
  #failure: SessionFailure | null = null;
  #aborted = false;
  #connectedAt: number | null = null;
  #dialogueEndedAt: number | null = null;
  #tls = false;
  #pipelining = false;
  #smtputf8 = false;
  #rejections = 0;

  constructor(options: SmtpSessionOptions<A>) {
    this.#options = options;
    this.#transcript = new Transcript(options.transcript !== false);
    this.#addGroup({
      recipients: options.recipients,
      ...(options.catchAllProbe ? { catchAllProbe: options.catchAllProbe } : {}),
    });
    this.#identity = { heloName: options.heloName, mailFrom: options.mailFrom };
    let reject: (interrupt: SessionInterrupt) => void = ignore;
    const promise = new Promise<never>((_, rejectStop) => {
      reject = rejectStop;
    });
    promise.catch(ignore);
    this.#stop = { promise, reject };
  }

  async run(): Promise<SessionOutcome<A>> {
    const { signal, timeouts } = this.#options;
    const forgetAbort = signal
      ? onAbort(signal, () => this.#interrupt(new SessionInterrupt('aborted', 'aborted')))
      : undefined;
    this.#timers.set('total', timeouts.totalMs, () =>
      this.#interrupt(new SessionInterrupt('timeout', 'total_timeout')),
    );
    let programmingError: unknown = null;
    try {
      await this.#dialogue();
    } catch (error) {
      if (error instanceof SessionInterrupt) this.#recordInterrupt(error);
      else programmingError = error;
    }
    this.#dialogueEndedAt = performance.now();
    try {
      await this.#teardown();
    } finally {
      forgetAbort?.();
    }
    if (programmingError) throw programmingError;
    if (this.#aborted) throw signal?.reason;
    return this.#outcome();
  }

  #setState(next: SessionState): void {
    const allowed = next === 'closed' || (next === 'quit' && this.#state !== 'closed');
    if (!allowed && !NEXT_STATES[this.#state].includes(next)) {
      throw new Error(`SMTP session: illegal transition ${this.#state} → ${next}`);
    }
    this.#state = next;
    this.#stage = STAGE_OF[next] ?? this.#stage;
  }

  async #dialogue(): Promise<void> {
    const channel = await this.#connect();
    this.#setState('greeting');
    // The names may depend on the local address (its PTR): looked up while the server composes its greeting.
    const { identify } = this.#options;
    const identity =
      identify && this.#localAddress
        ? identify(this.#localAddress).catch((error: unknown) => {
            this.#transcript.note(`identity lookup failed: ${String(error)}`);
            return null;
          })
        : null;
    const greeting = await channel.expectGreeting();
    if (greeting.code !== 220) {
      this.#replyFailure(greeting);
      return;
    }
    const chosen = identity ? await this.#wait(identity) : null;
    if (chosen) this.#identity = chosen;

    let capabilities = await this.#hello(channel);
    if (!capabilities) return;
    if (capabilities.starttls && this.#options.tls !== false) {
      capabilities = await this.#startTls(channel, capabilities);
      if (!capabilities) return;
    }
    await this.#probe(channel, capabilities);
  }

  async #connect(): Promise<SmtpChannel> {
    const { ip, port, family, sourceAddress, timeouts } = this.#options;
    this.#setState('connecting');
    if (this.#options.dial) return this.#dialed(this.#options.dial);
    const socket = new Socket();
    this.#socket = socket;
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.#transcript.note(`socket error: ${error.code ?? error.message}`),
    );
    const connected = new Promise<void>((resolve, reject) => {
      this.#timers.set('connect', timeouts.connectMs, () =>
        reject(new SessionInterrupt('timeout', 'connect_timeout')),
      );
      socket.once('connect', resolve);
      socket.once('error', (error: NodeJS.ErrnoException) =>
        reject(new SessionInterrupt('connection', error.code ?? 'connect_failed')),
      );
    });
    socket.connect({ host: ip, port, family, localAddress: sourceAddress, noDelay: true });
    try {
      await this.#wait(connected);
    } finally {
      this.#timers.clear('connect');
    }
    this.#connectedAt = performance.now();
    this.#localAddress = socket.localAddress ?? null;
    this.#transcript.note(
      `connected to ${this.#options.host} [${ip}]:${port} from ${socket.localAddress ?? '?'}`,
    );
    this.#channel = new SmtpChannel(socket, { timers: this.#timers, timeouts, transcript: this.#transcript });
    return this.#channel;
  }

  /** The connection from the `dial` hook (a proxy tunnel); the dialer's own phase timers bound it. */
  async #dialed(dial: (signal: AbortSignal) => Promise<Socket>): Promise<SmtpChannel> {
    const { ip, port, timeouts } = this.#options;
    const dialing = new AbortController();
    const pending = dial(dialing.signal);
    let socket: Socket;
    try {
      socket = await this.#wait(
        pending.catch((error: { code?: unknown; message?: unknown }) => {
          this.#transcript.note(`dial failed: ${String(error.message ?? error)}`);
          throw new SessionInterrupt(
            'connection',
            typeof error.code === 'string' ? error.code : 'dial_failed',
          );
        }),
      );
    } catch (error) {
      dialing.abort(error);
      // A tunnel that opened just as the session was interrupted is closed, not leaked.
      pending.then((late) => late.destroy(), ignore);
      throw error;
    }
    this.#socket = socket;
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.#transcript.note(`socket error: ${error.code ?? error.message}`),
    );
    this.#connectedAt = performance.now();
    this.#transcript.note(`connected to ${this.#options.host} [${ip}]:${port} through a tunnel`);
    this.#channel = new SmtpChannel(socket, { timers: this.#timers, timeouts, transcript: this.#transcript });
    return this.#channel;
  }

  /** EHLO, or HELO when EHLO gets a 5xx. Null when the server refused both (failure recorded). */
  async #hello(channel: SmtpChannel): Promise<Capabilities | null> {
    const { heloName } = this.#identity;
    this.#setState('ehlo');
    const [ehloReply] = channel.send([commands.ehlo(heloName)]);
    const ehlo = await (ehloReply as Promise<SmtpReply>);
    if (ehlo.code === 250) return parseCapabilities(ehlo);
    if (ehlo.code < 500) return this.#replyFailure(ehlo);

    this.#setState('helo');
    const [heloReply] = channel.send([commands.helo(heloName)]);
    const helo = await (heloReply as Promise<SmtpReply>);
    if (helo.code === 250) return NO_CAPABILITIES;
    return this.#replyFailure(helo);
  }

  /**
   * Opportunistic STARTTLS. A refusal continues in plaintext; a failed handshake fails the session at stage
   * `starttls` (the socket is unusable) and the caller may retry with `tls: false`.
   */
  async #startTls(channel: SmtpChannel, plaintext: Capabilities): Promise<Capabilities | null> {
    const { host, timeouts } = this.#options;
    this.#setState('starttls');
    const [starttlsReply] = channel.send([commands.starttls()], true);
    const reply = await (starttlsReply as Promise<SmtpReply>);
    if (reply.code === 421) return this.#replyFailure(reply);
    if (reply.code !== 220) {
      this.#transcript.note('STARTTLS refused; continuing in plaintext');
      return plaintext;
    }

    this.#setState('tls-handshake');
    const servername = isIP(host) === 0 && host.length > 0 ? host.replace(/\.$/, '') : undefined;
    const sessions = this.#options.tls === false ? undefined : this.#options.tls?.sessions;
    const sessionKey = `${this.#options.ip} ${this.#options.port} ${servername ?? ''}`;
    const resume = sessions?.get(sessionKey);
    const secure = tlsConnect({
      socket: channel.detach(),
      servername,
      secureContext: clientSecureContext(),
      rejectUnauthorized: false,
      // The certificate is not checked (as MTAs do): no need to decode it and match its names either.
      checkServerIdentity: () => undefined,
      ...(resume ? { session: resume } : {}),
    });
    if (sessions) secure.on('session', (ticket: Buffer) => sessions.set(sessionKey, ticket));
    this.#socket = secure;
    secure.on('error', (error: NodeJS.ErrnoException) =>
      this.#transcript.note(`TLS error: ${error.code ?? error.message}`),
    );
    // The handshake's listeners go once it settles: an error object (and its stack) only when one happens.
    let onError: (error: NodeJS.ErrnoException) => void = ignore;
    let onClose: () => void = ignore;
    const handshake = new Promise<void>((resolve, reject) => {
      this.#timers.set('tls', timeouts.commandMs, () =>
        reject(new SessionInterrupt('timeout', 'tls_timeout')),
      );
      onError = (error) => reject(new SessionInterrupt('connection', error.code ?? 'tls_failed'));
      onClose = () => reject(new SessionInterrupt('connection', 'connection_closed'));
      secure.once('secureConnect', resolve);
      secure.once('error', onError);
      secure.once('close', onClose);
    });
    try {
      await this.#wait(handshake);
    } finally {
      this.#timers.clear('tls');
      secure.off('error', onError);
      secure.off('close', onClose);
    }
    this.#tls = true;
    this.#transcript.note(
      `TLS established (${secure.getProtocol() ?? 'unknown protocol'}${secure.isSessionReused() ? ', resumed' : ''})`,
    );
    // Capabilities learned in plaintext are forgotten: only the EHLO inside TLS counts.
    channel.attach(secure);
    return this.#hello(channel);
  }

  /** Each group in turn (the first, then whatever `nextGroup` gives) while the session can go on. */
  async #probe(channel: SmtpChannel, capabilities: Capabilities): Promise<void> {
    this.#pipelining = capabilities.pipelining;
    this.#smtputf8 = capabilities.smtputf8;
    for (;;) {
      if (!(await this.#probeGroup(channel, capabilities))) return;
      // Pipelined writes never hold more RCPTs than refusals still allowed, so with less than half the cap left a
      // new domain would trickle out a few RCPTs per round trip: a fresh session with the whole cap asks it faster.
      if (this.#rejectionBudget() < this.#minRejectionsForNewGroup()) return;
      const next = this.#options.nextGroup?.();
      if (!next) return;
      this.#current = this.#addGroup(next);
    }
  }

  /**
   * MAIL FROM and the current group's RCPTs, in as many transactions as "too many recipients" replies force
   * (RSET before each but the session's first). False when the session cannot go on.
   */
  async #probeGroup(channel: SmtpChannel, capabilities: Capabilities): Promise<boolean> {
    const { mailFrom } = this.#identity;
    const { recipients, catchAllProbe } = this.#group().request;
    const senderNeedsSmtpUtf8 = !isAscii(mailFrom);
    const pending: ProbeItem[] = [];
    recipients.forEach((address, index) => {
      if ((address.needsSmtpUtf8 || senderNeedsSmtpUtf8) && !capabilities.smtputf8) {
        this.#skip(index, 'smtputf8_unsupported');
      } else {
        pending.push({ kind: 'recipient', index });
      }
    });
    if (pending.length === 0) return true;

    const useSmtpUtf8 =
      capabilities.smtputf8 &&
      (senderNeedsSmtpUtf8 || pending.some((item) => this.#addressOf(item).needsSmtpUtf8));
    const mailCommand = commands.mailFrom(mailFrom, useSmtpUtf8);
    const catchAllAskable =
      catchAllProbe !== undefined && (!catchAllProbe.needsSmtpUtf8 || capabilities.smtputf8);
    let catchAllQueued = false;
    const queueCatchAll = (): void => {
      if (!catchAllAskable || catchAllQueued) return;
      catchAllQueued = true;
      // First in line: its answer is in before any mailbox's, so a session cut later (a 421, a drop, the
      // refusal cap) never leaves an accepted mailbox without the catch-all answer it needs.
      pending.unshift({ kind: 'catch-all', index: -1 });
    };
    // Pipelined, the probe rides in the first group for free; one at a time, it is asked only when it can
    // change a verdict, i.e. right after the first accepted recipient.
    if (capabilities.pipelining) queueCatchAll();

    // Learned from the first "too many recipients": how many RCPTs one transaction of this server takes.
    let perTransaction = pending.length;
    while (pending.length > 0) {
      if (pending.every((item) => item.kind === 'catch-all') && !this.#anyRecipientAccepted()) return true;
      const reset = this.#transactions > 0;
      this.#transactions += 1;
      // Pipelined, RSET rides in the transaction's first write (RFC 2920 §3.1 allows it anywhere in a group).
      if (reset && !capabilities.pipelining && !(await this.#reset(channel))) return false;
      const result = capabilities.pipelining
        ? await this.#pipelinedTransaction(channel, mailCommand, pending, perTransaction, reset)
        : await this.#sequentialTransaction(channel, mailCommand, pending, queueCatchAll);
      if (result.ended) return false;
      const notAboutTheNumber = result.answered === 0 ? result.tooMany : [];
      // "Too many recipients" with none taken in a fresh transaction: the number was not the reason, so each such
      // refusal is its RCPT's answer (recorded; it counts towards the refusal cap), and the rest are asked on.
      for (const { item, reply } of notAboutTheNumber) {
        pending.splice(pending.indexOf(item), 1);
        this.#record(item, reply);
      }
      if (this.#rejectionsExhausted()) {
        this.#skipAll(pending, 'rejection_limit');
        return false;
      }
      if (notAboutTheNumber.length > 0) continue;
      if (pending.length > 0 && result.answered === 0) {
        this.#transcript.note('server takes no recipient in a fresh transaction; giving up the rest');
        return false;
      }
      perTransaction = Math.min(perTransaction, result.answered);
    }
    return true;
  }

  /**
   * RFC 2920: MAIL FROM and the RCPTs in as few writes as the refusal cap allows (one when it is far off);
   * recipients refused for number, or not sent because the cap was reached, go back to `pending`.
   */
  async #pipelinedTransaction(
    channel: SmtpChannel,
    mailCommand: string,
    pending: ProbeItem[],
    limit: number,
    reset: boolean,
  ): Promise<TransactionResult> {
    if (reset) this.#setState('rset');
    this.#setState('mail');
    const batch = pending.splice(0, limit);
    let answered = 0;
    let mailSent = false;
    const refused: { item: ProbeItem; reply: SmtpReply }[] = [];
    while (batch.length > 0 && !this.#rejectionsExhausted() && refused.length === 0) {
      // A group never holds more RCPTs than refusals still allowed, so the cap cannot be overshot.
      const group = batch.splice(0, this.#rejectionBudget());
      const lines: string[] = [];
      if (!mailSent) {
        if (reset) lines.push(commands.rset());
        lines.push(mailCommand);
      }
      for (let index = 0; index < group.length; index += 1) {
        lines.push(this.#rcptCommand(group[index] as ProbeItem));
      }
      const replies = channel.send(lines);
      let next = 0;
      if (!mailSent) {
        mailSent = true;
        const ended = await this.#openTransaction(replies, reset);
        if (ended) {
          pending.unshift(...group, ...batch);
          return { ended: true, answered: 0, tooMany: [] };
        }
        next = reset ? 2 : 1;
      }
      for (let index = 0; index < group.length; index += 1) {
        const item = group[index] as ProbeItem;
        const reply = await (replies[next + index] as Promise<SmtpReply>);
        if (isTooManyRecipients(reply)) {
          refused.push({ item, reply });
          continue;
        }
        if (reply.code === 421) {
          // The server closes the channel: that is no answer about this recipient, who is asked again.
          this.#replyFailure(reply);
          return { ended: true, answered, tooMany: [] };
        }
        answered += 1;
        this.#record(item, reply);
      }
    }
    if (refused.length > 0 || batch.length > 0) pending.unshift(...refused.map(({ item }) => item), ...batch);
    return { ended: false, answered, tooMany: refused };
  }

  /**
   * The replies to the pipelined RSET (when `reset`) and MAIL FROM at the head of `replies`: true when either was
   * refused (failure recorded; whatever the server said to the RCPTs after it is not read as an answer).
   */
  async #openTransaction(replies: readonly Promise<SmtpReply>[], reset: boolean): Promise<boolean> {
    if (reset) {
      const rset = await (replies[0] as Promise<SmtpReply>);
      if (!isPositive(rset)) {
        await Promise.allSettled(replies);
        this.#replyFailure(rset);
        return true;
      }
    }
    const mail = await (replies[reset ? 1 : 0] as Promise<SmtpReply>);
    if (!isPositive(mail)) {
      this.#replyFailure(mail);
      return true;
    }
    this.#setState('rcpt');
    return false;
  }

  /** Without PIPELINING: MAIL FROM, then one RCPT per round trip. */
  async #sequentialTransaction(
    channel: SmtpChannel,
    mailCommand: string,
    pending: ProbeItem[],
    queueCatchAll: () => void,
  ): Promise<TransactionResult> {
    this.#setState('mail');
    const [mailReply] = channel.send([mailCommand]);
    const mail = await (mailReply as Promise<SmtpReply>);
    if (!isPositive(mail)) {
      this.#replyFailure(mail);
      return { ended: true, answered: 0, tooMany: [] };
    }
    this.#setState('rcpt');
    let answered = 0;
    for (let item = pending[0]; item !== undefined; item = pending[0]) {
      const [rcptReply] = channel.send([this.#rcptCommand(item)]);
      const reply = await (rcptReply as Promise<SmtpReply>);
      if (isTooManyRecipients(reply)) return { ended: false, answered, tooMany: [{ item, reply }] };
      if (reply.code === 421) {
        // The server closes the channel: that is no answer about this recipient, who is asked again.
        this.#replyFailure(reply);
        return { ended: true, answered, tooMany: [] };
      }
      pending.shift();
      answered += 1;
      this.#record(item, reply);
      if (item.kind === 'recipient' && isPositive(reply)) queueCatchAll();
      if (this.#rejectionsExhausted()) break;
    }
    return { ended: false, answered, tooMany: [] };
  }

  async #reset(channel: SmtpChannel): Promise<boolean> {
    this.#setState('rset');
    const [rsetReply] = channel.send([commands.rset()]);
    const reply = await (rsetReply as Promise<SmtpReply>);
    if (isPositive(reply)) return true;
    this.#replyFailure(reply);
    return false;
  }

  /** QUIT while the socket is writable (waiting briefly for the 221), then close; clears every timer. */
  async #teardown(): Promise<void> {
    const channel = this.#channel;
    if (channel?.writable && this.#state !== 'tls-handshake') {
      this.#setState('quit');
      const remainingMs = this.#options.timeouts.totalMs - (performance.now() - this.#startedAt);
      const waitMs = Math.max(0, Math.min(QUIT_REPLY_WAIT_MS, this.#options.timeouts.commandMs, remainingMs));
      try {
        await channel.quit(waitMs);
      } catch (error) {
        this.#transcript.note(`QUIT not sent: ${(error as Error).message}`);
      }
    }
    this.#setState('closed');
    this.#timers.clearAll();
    this.#socket?.destroy();
  }

  #wait<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.#stop.promise]);
  }

  /** Stops the dialogue from outside (deadline, abort): whatever it awaits rejects with `interrupt`. */
  #interrupt(interrupt: SessionInterrupt): void {
    this.#transcript.note(interrupt.code);
    this.#stop.reject(interrupt);
    this.#channel?.fail(interrupt);
  }

  #recordInterrupt(interrupt: SessionInterrupt): void {
    if (interrupt.kind === 'aborted') {
      this.#aborted = true;
      return;
    }
    if (this.#failure === null) this.#failureGroup = this.#current;
    this.#failure ??= {
      stage: this.#stage,
      kind: interrupt.kind,
      ...(interrupt.reply ? { reply: interrupt.reply } : {}),
    };
  }

  #replyFailure(reply: SmtpReply): null {
    if (this.#failure === null) this.#failureGroup = this.#current;
    this.#failure ??= { stage: this.#stage, kind: 'reply', reply };
    return null;
  }

  #addGroup(request: RecipientGroup<A>): number {
    this.#groups.push({
      request: { recipients: request.recipients, catchAllProbe: request.catchAllProbe },
      results: new Array<RecipientOutcome<A> | undefined>(request.recipients.length).fill(undefined),
      catchAll: null,
    });
    return this.#groups.length - 1;
  }

  #group(): GroupState<A> {
    const group = this.#groups[this.#current];
    if (!group) throw new Error('SMTP session: no current group');
    return group;
  }

  #addressOf(item: ProbeItem): A {
    const { recipients, catchAllProbe } = this.#group().request;
    const address = item.kind === 'recipient' ? recipients[item.index] : catchAllProbe;
    if (!address) throw new Error('SMTP session: probe item without an address');
    return address;
  }

  #rcptCommand(item: ProbeItem): string {
    return commands.rcptTo(this.#addressOf(item).normalized);
  }

  #record(item: ProbeItem, reply: SmtpReply): void {
    if (!isPositive(reply)) this.#rejections += 1;
    if (item.kind === 'catch-all') this.#group().catchAll = reply;
    else this.#group().results[item.index] = { address: this.#addressOf(item), reply };
  }

  #skip(index: number, skipped: RecipientSkip): void {
    this.#group().results[index] = {
      address: this.#addressOf({ kind: 'recipient', index }),
      reply: null,
      skipped,
    };
  }

  /** Refusals still allowed before the cap (Postfix and others slow down, then cut, sessions that collect many). */
  #rejectionBudget(): number {
    const cap = this.#options.maxRejections;
    return cap === undefined ? Number.POSITIVE_INFINITY : Math.max(0, cap - this.#rejections);
  }

  #minRejectionsForNewGroup(): number {
    const cap = this.#options.maxRejections;
    return cap === undefined ? 0 : Math.max(MIN_REJECTIONS_FOR_NEW_GROUP, Math.ceil(cap / 2));
  }

  #rejectionsExhausted(): boolean {
    return this.#rejectionBudget() === 0;
  }

  /** Leaves every pending recipient unasked (the catch-all probe is simply dropped). */
  #skipAll(pending: ProbeItem[], skipped: RecipientSkip): void {
    for (const item of pending.splice(0)) if (item.kind === 'recipient') this.#skip(item.index, skipped);
  }

  #anyRecipientAccepted(): boolean {
    return this.#group().results.some((result) => result?.reply && isPositive(result.reply));
  }

  #outcome(): SessionOutcome<A> {
    const connectedAt = this.#connectedAt;
    const endedAt = this.#dialogueEndedAt ?? performance.now();
    const groups: GroupOutcome<A>[] = this.#groups.map((group, index) => ({
      recipients: group.request.recipients.map(
        (address, position) => group.results[position] ?? { address, reply: null, skipped: 'session_ended' },
      ),
      catchAll: group.catchAll,
      failure: index === this.#failureGroup ? this.#failure : null,
    }));
    const [first] = groups as [GroupOutcome<A>];
    return {
      connected: connectedAt !== null,
      tls: this.#tls,
      pipelining: this.#pipelining,
      smtputf8: this.#smtputf8,
      connectMs: Math.round((connectedAt ?? endedAt) - this.#startedAt),
      smtpMs: connectedAt === null ? 0 : Math.round(endedAt - connectedAt),
      failure: this.#failure,
      recipients: first.recipients,
      catchAll: first.catchAll,
      groups,
      localAddress: this.#localAddress,
      heloName: this.#identity.heloName,
      mailFrom: this.#identity.mailFrom,
      transcript: this.#transcript.lines(),
    };
  }
}

function validateOptions(options: SmtpSessionOptions<ProbeAddress>): void {
  const fail = (message: string): never => {
    throw new SmtpSessionOptionsError(message);
  };
  if (isIP(options.ip) !== options.family) fail(`ip ${options.ip} is not an IPv${options.family} address`);
  if (options.sourceAddress !== undefined && isIP(options.sourceAddress) !== options.family) {
    fail(
      `sourceAddress ${options.sourceAddress} does not match the IPv${options.family} family of ${options.ip}`,
    );
  }
  if (!Number.isInteger(options.port) || options.port <= 0 || options.port > 65_535)
    fail(`bad port ${options.port}`);
  const { maxRejections } = options;
  if (maxRejections !== undefined && (!Number.isSafeInteger(maxRejections) || maxRejections < 1))
    fail(`maxRejections must be a positive integer, got ${String(maxRejections)}`);
  for (const [name, ms] of Object.entries(options.timeouts)) {
    if (!Number.isFinite(ms) || ms <= 0) fail(`timeouts.${name} must be a positive number of milliseconds`);
  }
}
