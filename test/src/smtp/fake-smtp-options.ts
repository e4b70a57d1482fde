/** How a fake SMTP server misbehaves; 'normal' speaks SMTP properly. */
export type FakeSmtpBehaviour =
  | 'normal'
  | 'never-greet'
  | 'drop-after-greeting'
  | 'drop-at-rcpt'
  | 'drip'
  | 'garbage'
  | 'huge-line'
  | 'endless-multiline'
  | 'greeting-554';

export interface FakeSmtpOptions {
  /** Loopback address to listen on; default: a fresh 127.1.x.y. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Name in the greeting and EHLO reply, default 'mx.<random>.test'. */
  hostname?: string;
  /** Existing addresses (domain case-insensitive); others → 550 5.1.1 User unknown. */
  mailboxes?: string[];
  /** → 550 5.2.1 mailbox disabled. */
  disabled?: string[];
  /** → 452 4.2.2 over quota. */
  full?: string[];
  /** Accept every RCPT. */
  catchAll?: boolean;
  /** Address → raw reply line(s), e.g. '550-5.1.1 a\r\n550 5.1.1 b'. */
  rcptReplies?: Record<string, string>;
  /**
   * Raw reply to every address that is no mailbox here, instead of Postfix's `550 5.1.1 <rcpt>: Recipient address
   * rejected: User unknown in virtual mailbox table`; `{recipient}` stands for the address. E.g. a directory-checking
   * gateway's '554 5.7.1 <{recipient}>: Recipient address rejected: Access denied'.
   */
  unknownReply?: string;
  /** First RCPT of each (client ip, sender, rcpt) triple → 451 4.7.1 greylisted; accepted once this much time has passed. */
  greylistMs?: number;
  /** CIDRs; other client addresses → 554 5.7.1 at RCPT (or at the greeting with blockAtGreeting). */
  allowedClients?: string[];
  blockAtGreeting?: boolean;
  /** Sessions per client address per minute; beyond → 421 4.7.0 too many connections at the greeting. */
  maxConnectionsPerMinute?: number;
  /** Accepted recipients per transaction; beyond → 452 4.5.3 Too many recipients. */
  maxRecipientsPerTransaction?: number;
  /**
   * Refused RCPTs one session may collect (Postfix's smtpd_hard_error_limit); the next RCPT → 421 4.7.0
   * <hostname> Error: too many errors, then the server closes the connection.
   */
  maxRejectedRecipients?: number;
  /** Offer STARTTLS with a self-signed certificate (default false). */
  starttls?: boolean;
  /** Advertise PIPELINING (default true). */
  pipelining?: boolean;
  /** Advertise SMTPUTF8 (default true). */
  smtputf8?: boolean;
  /** Reject EHLO with 502, accept HELO. */
  heloOnly?: boolean;
  /** Extra wait before the greeting. */
  greetingDelayMs?: number;
  /** Simulated round trip: every reply (not every line) is delayed by this much; a pipelined group is one reply. */
  replyDelayMs?: number;
  behaviour?: FakeSmtpBehaviour;
}

export interface SmtpSessionRecord {
  clientAddress: string;
  clientPort: number;
  /** Argument of the last EHLO/HELO, or null. */
  helo: string | null;
  tls: boolean;
  /** Every command line as received, verbatim (without the line ending; message content after DATA excluded). */
  commands: string[];
  quitReceived: boolean;
  dataReceived: boolean;
  startedAt: number;
  endedAt: number | null;
}

export interface FakeSmtpServer {
  host: string;
  port: number;
  hostname: string;
  /** In start order. */
  readonly sessions: SmtpSessionRecord[];
  readonly activeSessions: number;
  readonly peakConcurrency: number;
  close(): Promise<void>;
}

/** Options with every default filled in. */
export interface ResolvedSmtpOptions {
  hostname: string;
  mailboxes: readonly string[];
  disabled: readonly string[];
  full: readonly string[];
  catchAll: boolean;
  rcptReplies: Readonly<Record<string, string>>;
  unknownReply: string | null;
  greylistMs: number | null;
  allowedClients: readonly string[] | null;
  blockAtGreeting: boolean;
  maxConnectionsPerMinute: number | null;
  maxRecipientsPerTransaction: number | null;
  maxRejectedRecipients: number | null;
  starttls: boolean;
  pipelining: boolean;
  smtputf8: boolean;
  heloOnly: boolean;
  greetingDelayMs: number;
  replyDelayMs: number;
  behaviour: FakeSmtpBehaviour;
}

/** Timing and size constants of the scripted behaviours. */
export const SMTP_LIMITS = {
  /** 'drip' writes one byte per this interval. */
  dripIntervalMs: 1000,
  /** 'huge-line' and 'endless-multiline' stop after this many bytes (far beyond any sane client bound). */
  hostileReplyCapBytes: 16 * 1024 * 1024,
  /** Size of each write while streaming a hostile reply. */
  hostileChunkBytes: 64 * 1024,
  /** 'garbage' sends this many random bytes per reply. */
  garbageBytes: 256,
  /** Longest command line the server keeps; the rest of the line is discarded. */
  maxCommandLineBytes: 64 * 1024,
  /** Window of maxConnectionsPerMinute. */
  connectionRateWindowMs: 60_000,
  /** SIZE advertised in EHLO. */
  advertisedMaxMessageBytes: 35_882_577,
} as const;
