import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import type { ConnectionRate } from './connection-rate.js';
import { type ResolvedSmtpOptions, SMTP_LIMITS, type SmtpSessionRecord } from './fake-smtp-options.js';
import type { Greylist } from './greylist.js';
import { garbage, streamHostileGreeting } from './hostile-replies.js';
import { LineReader } from './line-reader.js';
import type { MailboxDirectory } from './mailbox-directory.js';
import { Outbox, type Output } from './outbox.js';
import { formatReply, rawReply } from './reply.js';
import { TimerSet } from './timer-set.js';

/** What every session of one server shares. */
export interface ServerContext {
  options: ResolvedSmtpOptions;
  directory: MailboxDirectory;
  greylist: Greylist | null;
  isAllowedClient: ((address: string) => boolean) | null;
  connectionRate: ConnectionRate | null;
  tlsContext: SecureContext | null;
}

export interface SessionEvents {
  /** The session ended (it no longer counts as active). */
  onFinish(): void;
  /** The connection closed (nothing left to tear down). */
  onClose(): void;
}

/**
 * greeting: waiting to greet (client lines are held); command: normal dialogue; data: reading message content;
 * refusing: greeted with 554, only QUIT is honoured; silent: hostile, input recorded but never answered by
 * the dialogue; tls-handshake: STARTTLS accepted, plaintext discarded; ended: nothing more is processed.
 */
type SessionState = 'greeting' | 'command' | 'data' | 'refusing' | 'silent' | 'tls-handshake' | 'ended';

interface Transaction {
  sender: string;
  smtpUtf8: boolean;
  acceptedRecipients: number;
}

const MAIL_FROM = /^MAIL FROM:\s*<([^>]*)>\s*(.*)$/i;
const RCPT_TO = /^RCPT TO:\s*<([^>]*)>\s*(.*)$/i;
const NON_ASCII = /[^\p{ASCII}]/u;

const reply = (code: number, ...lines: string[]): Output => ({
  kind: 'write',
  text: formatReply(code, lines),
});

/** One client connection to a fake SMTP server: parses lines, records them, answers per the script. */
export class ScriptedSession {
  readonly record: SmtpSessionRecord;
  readonly #context: ServerContext;
  readonly #options: ResolvedSmtpOptions;
  readonly #timers = new TimerSet();
  readonly #reader = new LineReader(SMTP_LIMITS.maxCommandLineBytes);
  readonly #outbox: Outbox;
  readonly #events: SessionEvents;
  #socket: Socket;
  #state: SessionState = 'greeting';
  #held: string[] = [];
  #greeted = false;
  #esmtp = false;
  #transaction: Transaction | null = null;
  #rejectedRecipients = 0;
  #dropOnFirstCommand: boolean;

  constructor(socket: Socket, record: SmtpSessionRecord, context: ServerContext, events: SessionEvents) {
    this.#socket = socket;
    this.record = record;
    this.#context = context;
    this.#options = context.options;
    this.#events = events;
    this.#dropOnFirstCommand = this.#options.behaviour === 'drop-after-greeting';
    this.#outbox = new Outbox({
      socket: () => this.#socket,
      timers: this.#timers,
      dripIntervalMs: this.#options.behaviour === 'drip' ? SMTP_LIMITS.dripIntervalMs : null,
      startTls: () => this.#upgradeToTls(),
      finish: () => this.#finish(),
    });
    this.#attach(socket);
  }

  /** Greet (or not) according to the script. */
  start(): void {
    const { behaviour, hostname, greetingDelayMs, replyDelayMs } = this.#options;
    const client = this.record.clientAddress;
    const greetAfterMs = greetingDelayMs + replyDelayMs;
    if (behaviour === 'never-greet') {
      this.#state = 'silent';
      return;
    }
    if (this.#context.connectionRate?.admit(client, Date.now()) === false) {
      this.#greet(greetAfterMs, 'ended', [
        reply(421, `4.7.0 ${hostname} Error: too many connections from ${client}`),
        { kind: 'end' },
      ]);
      return;
    }
    switch (behaviour) {
      case 'garbage':
        this.#greet(greetAfterMs, 'silent', [{ kind: 'write', text: garbage() }]);
        return;
      case 'huge-line':
      case 'endless-multiline':
        this.#timers.after(greetAfterMs, () => {
          this.#state = 'silent';
          streamHostileGreeting(this.#socket, behaviour, hostname);
        });
        return;
      case 'greeting-554':
        this.#greet(greetAfterMs, 'refusing', [reply(554, `5.3.2 ${hostname} No SMTP service here`)]);
        return;
    }
    if (this.#options.blockAtGreeting && this.#context.isAllowedClient?.(client) === false) {
      this.#greet(greetAfterMs, 'refusing', [
        reply(554, `5.7.1 ${hostname} Service unavailable; client host [${client}] blocked`),
      ]);
      return;
    }
    this.#greet(greetAfterMs, 'command', [reply(220, `${hostname} ESMTP Mailprobe fake MX`)]);
  }

  /** Drop the connection now (server shutdown). */
  destroy(): void {
    this.#timers.clearAll();
    this.#socket.destroy();
  }

  #greet(afterMs: number, nextState: SessionState, outputs: Output[]): void {
    this.#timers.after(afterMs, () => {
      this.#state = nextState;
      this.#outbox.send(outputs);
      const held = this.#held;
      this.#held = [];
      this.#handleLines(held);
    });
  }

  #attach(socket: Socket): void {
    socket.on('data', this.#onData);
    socket.on('error', () => {
      // A reset by the client ends the session like a close; nothing to report.
    });
    // The client's FIN ends the session at once; 'close' comes a loop turn later.
    socket.once('end', () => this.#finish());
    socket.once('close', this.#onClose);
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#state === 'tls-handshake' || this.#state === 'ended') return;
    const lines = this.#reader.push(chunk);
    if (this.#state === 'greeting') {
      for (const line of lines) this.record.commands.push(line);
      this.#held.push(...lines);
      return;
    }
    this.#handleLines(lines, true);
  };

  readonly #onClose = (): void => {
    this.#state = 'ended';
    this.#timers.clearAll();
    this.#finish();
    this.#events.onClose();
  };

  /**
   * The session is over once QUIT is answered, the server drops it, or the client hangs up — whichever comes
   * first, so a client that waits for 221 before opening its next connection is never counted twice.
   */
  #finish(): void {
    if (this.record.endedAt !== null) return;
    this.record.endedAt = Date.now();
    this.#events.onFinish();
  }

  /** Handle lines that arrived together; their replies leave together, one simulated round trip later. */
  #handleLines(lines: readonly string[], record = false): void {
    const outputs: Output[] = [];
    for (const line of lines) {
      if (this.#state === 'tls-handshake' || this.#state === 'ended') break;
      if (record && this.#state !== 'data') this.record.commands.push(line);
      outputs.push(...this.#handleLine(line));
    }
    if (outputs.length === 0) return;
    const { replyDelayMs } = this.#options;
    if (replyDelayMs === 0) this.#outbox.send(outputs);
    else this.#timers.after(replyDelayMs, () => this.#outbox.send(outputs));
  }

  #handleLine(line: string): Output[] {
    switch (this.#state) {
      case 'data':
        return this.#handleDataLine(line);
      case 'refusing':
        return this.#handleWhileRefusing(line);
      case 'silent':
        return this.#options.behaviour === 'garbage' ? [{ kind: 'write', text: garbage() }] : [];
      case 'command':
        if (this.#dropOnFirstCommand) {
          this.#state = 'ended';
          return [{ kind: 'destroy' }];
        }
        return this.#handleCommand(line);
      default:
        return [];
    }
  }

  #handleWhileRefusing(line: string): Output[] {
    const verb = verbOf(line);
    if (verb === 'QUIT') return this.#quit();
    if (verb === 'DATA' || verb === 'BDAT') this.record.dataReceived = true;
    return [reply(503, '5.5.1 Error: no SMTP service here, only QUIT')];
  }

  #handleCommand(line: string): Output[] {
    const verb = verbOf(line);
    const argument = line.slice(verb.length).trim();
    switch (verb) {
      case 'EHLO':
        return this.#ehlo(argument);
      case 'HELO':
        return this.#helo(argument);
      case 'STARTTLS':
        return this.#startTls();
      case 'MAIL':
        return this.#mail(line);
      case 'RCPT':
        return this.#rcpt(line);
      case 'DATA':
        return this.#data();
      case 'BDAT':
        this.record.dataReceived = true;
        return [reply(502, '5.5.1 Error: command not implemented')];
      case 'RSET':
        this.#transaction = null;
        return [reply(250, '2.0.0 Ok')];
      case 'NOOP':
        return [reply(250, '2.0.0 Ok')];
      case 'VRFY':
        return [reply(252, '2.0.0 Cannot VRFY user, but will accept message and attempt delivery')];
      case 'QUIT':
        return this.#quit();
      default:
        return [reply(500, '5.5.2 Error: command not recognized')];
    }
  }

  #ehlo(name: string): Output[] {
    const { hostname, heloOnly, pipelining, starttls, smtputf8 } = this.#options;
    if (heloOnly) return [reply(502, '5.5.1 Error: EHLO not implemented, use HELO')];
    if (name === '') return [reply(501, '5.5.4 Syntax: EHLO hostname')];
    this.#greeted = true;
    this.#esmtp = true;
    this.#transaction = null;
    this.record.helo = name;
    const extensions = [
      pipelining ? 'PIPELINING' : null,
      `SIZE ${SMTP_LIMITS.advertisedMaxMessageBytes}`,
      starttls && !this.record.tls ? 'STARTTLS' : null,
      'ENHANCEDSTATUSCODES',
      '8BITMIME',
      smtputf8 ? 'SMTPUTF8' : null,
    ].filter((extension) => extension !== null);
    return [reply(250, hostname, ...extensions)];
  }

  #helo(name: string): Output[] {
    if (name === '') return [reply(501, 'Syntax: HELO hostname')];
    this.#greeted = true;
    this.#esmtp = false;
    this.#transaction = null;
    this.record.helo = name;
    return [reply(250, this.#options.hostname)];
  }

  #startTls(): Output[] {
    if (!this.#options.starttls || this.#context.tlsContext === null || !this.#esmtp) {
      return [reply(502, '5.5.1 Error: command not implemented')];
    }
    if (this.record.tls) return [reply(503, '5.5.1 Error: TLS already active')];
    // RFC 3207 §4.2: forget everything learnt before TLS; discard any plaintext pipelined after STARTTLS.
    this.#state = 'tls-handshake';
    this.#greeted = false;
    this.#esmtp = false;
    this.#transaction = null;
    this.#reader.reset();
    return [reply(220, '2.0.0 Ready to start TLS'), { kind: 'starttls' }];
  }

  #upgradeToTls(): void {
    const plain = this.#socket;
    plain.off('data', this.#onData);
    const secure = new TLSSocket(plain, {
      isServer: true,
      secureContext: this.#context.tlsContext ?? undefined,
    });
    this.#socket = secure;
    secure.once('secure', () => {
      this.record.tls = true;
      this.#state = 'command';
    });
    this.#attach(secure);
  }

  #mail(line: string): Output[] {
    if (!this.#greeted) return [reply(503, '5.5.1 Error: send HELO/EHLO first')];
    if (this.#transaction !== null) return [reply(503, '5.5.1 Error: nested MAIL command')];
    const match = MAIL_FROM.exec(line);
    if (match === null) return [reply(501, '5.5.4 Syntax: MAIL FROM:<address>')];
    const sender = match[1] ?? '';
    const parameters = (match[2] ?? '').toUpperCase().split(/\s+/).filter(Boolean);
    const smtpUtf8 = parameters.includes('SMTPUTF8');
    if (smtpUtf8 && (!this.#esmtp || !this.#options.smtputf8)) {
      return [reply(555, '5.5.4 Unsupported option: SMTPUTF8')];
    }
    if (NON_ASCII.test(sender) && !smtpUtf8) {
      return [reply(553, '5.6.7 Non-ASCII sender address requires SMTPUTF8')];
    }
    this.#transaction = { sender, smtpUtf8, acceptedRecipients: 0 };
    return [reply(250, '2.1.0 Ok')];
  }

  #rcpt(line: string): Output[] {
    const transaction = this.#transaction;
    if (transaction === null) return [reply(503, '5.5.1 Error: need MAIL command')];
    const match = RCPT_TO.exec(line);
    if (match === null) return [reply(501, '5.5.4 Syntax: RCPT TO:<address>')];
    if (this.#options.behaviour === 'drop-at-rcpt') {
      this.#state = 'ended';
      return [{ kind: 'destroy' }];
    }
    const { maxRejectedRecipients, hostname } = this.#options;
    if (maxRejectedRecipients !== null && this.#rejectedRecipients >= maxRejectedRecipients) {
      // Postfix's smtpd_hard_error_limit: the session has made too many errors and is cut.
      this.#state = 'ended';
      return [reply(421, `4.7.0 ${hostname} Error: too many errors`), { kind: 'end' }];
    }
    const recipient = match[1] ?? '';
    const output = this.#rcptReply(recipient, transaction);
    if (output.text.startsWith('2')) transaction.acceptedRecipients += 1;
    else this.#rejectedRecipients += 1;
    return [output];
  }

  #rcptReply(recipient: string, transaction: Transaction): { kind: 'write'; text: string } {
    const { maxRecipientsPerTransaction } = this.#options;
    const client = this.record.clientAddress;
    const write = (code: number, text: string) => ({
      kind: 'write' as const,
      text: formatReply(code, [text]),
    });
    if (NON_ASCII.test(recipient) && !transaction.smtpUtf8) {
      return write(553, `5.6.7 <${recipient}>: Non-ASCII recipient address requires SMTPUTF8`);
    }
    if (
      maxRecipientsPerTransaction !== null &&
      transaction.acceptedRecipients >= maxRecipientsPerTransaction
    ) {
      return write(452, '4.5.3 Error: too many recipients');
    }
    if (this.#context.isAllowedClient?.(client) === false) {
      return write(554, `5.7.1 <unknown[${client}]>: Client host rejected: Access denied`);
    }
    const scripted = this.#context.directory.rawReplyFor(recipient);
    if (scripted !== undefined) return { kind: 'write', text: rawReply(scripted) };
    const waitSeconds =
      this.#context.greylist?.check(client, transaction.sender, recipient, Date.now()) ?? null;
    if (waitSeconds !== null) {
      return write(
        451,
        `4.7.1 <${recipient}>: Recipient address rejected: Greylisted, please try again in ${waitSeconds} seconds`,
      );
    }
    switch (this.#context.directory.stateOf(recipient)) {
      case 'exists':
        return write(250, '2.1.5 Ok');
      case 'disabled':
        return write(550, `5.2.1 <${recipient}>: Recipient address rejected: Mailbox disabled`);
      case 'full':
        return write(452, `4.2.2 <${recipient}>: Recipient address rejected: Mailbox full, over quota`);
      case 'unknown':
        if (this.#context.options.unknownReply !== null) {
          return {
            kind: 'write',
            text: rawReply(this.#context.options.unknownReply.replaceAll('{recipient}', recipient)),
          };
        }
        return write(
          550,
          `5.1.1 <${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`,
        );
    }
  }

  #data(): Output[] {
    this.record.dataReceived = true;
    if (this.#transaction === null) return [reply(503, '5.5.1 Error: need RCPT command')];
    if (this.#transaction.acceptedRecipients === 0) return [reply(554, '5.5.1 Error: no valid recipients')];
    this.#state = 'data';
    return [reply(354, 'End data with <CR><LF>.<CR><LF>')];
  }

  #handleDataLine(line: string): Output[] {
    if (line !== '.') return [];
    this.#state = 'command';
    this.#transaction = null;
    return [reply(250, '2.0.0 Ok: queued as FAKE')];
  }

  #quit(): Output[] {
    this.record.quitReceived = true;
    this.#state = 'ended';
    return [reply(221, '2.0.0 Bye'), { kind: 'end' }];
  }
}

function verbOf(line: string): string {
  const space = line.indexOf(' ');
  return (space < 0 ? line : line.slice(0, space)).toUpperCase();
}
