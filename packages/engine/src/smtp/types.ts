import type { Socket } from 'node:net';
import type { TlsSessionStore } from './tls-sessions.js';

/** One SMTP reply, possibly spanning several `250-` continuation lines. */
export interface SmtpReply {
  /** Three-digit reply code, 200–599 (RFC 5321 defines x0x–x5x; the first digit decides the rest). */
  code: number;
  /** RFC 3463 enhanced status code such as `5.1.1`, when the server sent one whose class matches `code`. */
  enhancedCode: string | null;
  /** Text of every line without codes, joined with single spaces. */
  text: string;
  /** Every line as received, without the line ending (control bytes replaced). */
  lines: string[];
}

/** Where in the dialogue something happened. */
export type SmtpStage = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'mail' | 'rcpt';

/** Kind of a session-level failure. */
export type SessionFailureKind = 'timeout' | 'connection' | 'protocol' | 'reply';

/** A session-level failure decided before or beside the RCPT replies. */
export interface SessionFailure {
  stage: SmtpStage;
  kind: SessionFailureKind;
  /** The reply that ended the session, for kind `reply`. */
  reply?: SmtpReply;
}

/**
 * The parts of `ParsedAddress` (from `@mailprobe/core`) the session needs. A `ParsedAddress` is one, and the
 * outcome hands back the very object it was given.
 */
export interface ProbeAddress {
  /** Exactly what goes between `RCPT TO:<` and `>`. */
  normalized: string;
  /** The local part has non-ASCII characters, so the server must offer SMTPUTF8. */
  needsSmtpUtf8: boolean;
}

export interface SmtpTimeouts {
  /** TCP connect. */
  connectMs: number;
  /** From connect to the complete 220 greeting. */
  greetingMs: number;
  /** For each reply to a command (also the TLS handshake), measured from the previous reply. */
  commandMs: number;
  /** Overall deadline for the whole session, QUIT included. */
  totalMs: number;
}

/** One transaction's worth of RCPTs: one domain's recipients and, when its catch-all verdict is unknown, its probe. */
export interface RecipientGroup<A extends ProbeAddress = ProbeAddress> {
  recipients: readonly A[];
  catchAllProbe?: A;
}

/** The names a session presents: its EHLO/HELO name and its envelope sender. */
export interface SessionIdentity {
  heloName: string;
  /** Without angle brackets; `''` sends the null sender `<>`. */
  mailFrom: string;
}

export interface SmtpSessionOptions<A extends ProbeAddress = ProbeAddress> {
  /** MX host name: used as TLS SNI and in the transcript. */
  host: string;
  /** Address of the MX host to connect to. */
  ip: string;
  port: number;
  family: 4 | 6;
  /** Local address to bind (a dedicated source address); must have the same family as `ip`. */
  sourceAddress?: string;
  heloName: string;
  /** Envelope sender, without angle brackets; `''` sends the null sender `<>`. */
  mailFrom: string;
  /** All at one domain group. */
  recipients: readonly A[];
  /**
   * A random local part at the same domain, asked once per session: first in the pipelined group (so its
   * answer is in before any mailbox's), or right after the first accepted recipient without PIPELINING.
   */
  catchAllProbe?: A;
  /**
   * Stop asking once this many RCPTs (the probe included) were refused; the rest come back skipped
   * `rejection_limit`. Pipelined RCPTs go out in groups no larger than the refusals still allowed, so the
   * count never passes it. Default: no limit.
   */
  maxRejections?: number;
  /**
   * Further groups (other domains at the same MX address) asked in this session, each in its own transaction
   * after RSET. Called after each group's transactions while the session is healthy and under its refusal cap;
   * `undefined` ends the session. Each group's answers come back in `groups`.
   */
  nextGroup?: () => RecipientGroup<A> | undefined;
  /**
   * Called once connected, with the socket's local address (the source the OS chose, when none was given): the
   * names to greet and send with, instead of `heloName` and `mailFrom`. Runs while the greeting is awaited.
   */
  identify?: (localAddress: string) => Promise<SessionIdentity>;
  timeouts: SmtpTimeouts;
  signal?: AbortSignal;
  /**
   * Opens the connection instead of a direct TCP connect (a SOCKS5 tunnel to `ip:port`): it runs its own named
   * phase timers inside the session's deadline, and must destroy its socket when `signal` aborts. A rejection
   * with a string `code` fails the session at stage `connect` with that code.
   */
  dial?: (signal: AbortSignal) => Promise<Socket>;
  /**
   * Opportunistic STARTTLS (the default) when the server offers it; the certificate is not checked, like MTAs.
   * `false` never upgrades: the orchestrator's plaintext retry after a `starttls` failure.
   */
  tls?: false | { rejectUnauthorized?: false; sessions?: TlsSessionStore };
  /** Keep the `C:`/`S:` transcript of the outcome (default true); false leaves it empty. */
  transcript?: boolean;
}

/** Why a recipient got no reply. */
export type RecipientSkip = 'smtputf8_unsupported' | 'session_ended' | 'rejection_limit';

/** Exactly one of `reply` and `skipped` is set. */
export interface RecipientOutcome<A extends ProbeAddress = ProbeAddress> {
  address: A;
  reply: SmtpReply | null;
  skipped?: RecipientSkip;
}

/** What one group's transaction found. */
export interface GroupOutcome<A extends ProbeAddress = ProbeAddress> {
  /** In the order given. */
  recipients: RecipientOutcome<A>[];
  /** Reply to the group's catch-all probe; null when it was not asked or not answered. */
  catchAll: SmtpReply | null;
  /** The session's failure when it happened while this group was being asked (or before, for the first group). */
  failure: SessionFailure | null;
}

export interface SessionOutcome<A extends ProbeAddress = ProbeAddress> {
  /** The TCP connection was established. */
  connected: boolean;
  /** STARTTLS was negotiated. */
  tls: boolean;
  /** The server advertised PIPELINING, so MAIL and the RCPTs went out as one group. */
  pipelining: boolean;
  /** The server advertised SMTPUTF8. */
  smtputf8: boolean;
  /** Time to the TCP connection (or to the connect failure). */
  connectMs: number;
  /** From connection to the end of the dialogue (QUIT excluded). */
  smtpMs: number;
  failure: SessionFailure | null;
  /** In the order given. */
  recipients: RecipientOutcome<A>[];
  /** Reply to the catch-all probe; null when it was not asked or not answered. */
  catchAll: SmtpReply | null;
  /** Every group asked: `groups[0]` is `recipients` and `catchAllProbe`, then each group `nextGroup` gave. */
  groups: GroupOutcome<A>[];
  /** The local address of the connection; null when it never connected. */
  localAddress: string | null;
  /** The EHLO/HELO name and envelope sender used (from `identify` when given and reached). */
  heloName: string;
  mailFrom: string;
  /** `C:` (client), `S:` (server) and `*:` (session note) lines, truncated; empty when `transcript` was false. */
  transcript: string[];
}
