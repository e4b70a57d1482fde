import path from 'node:path';

/** What the private Postfix instance knows: its mailboxes and whom it refuses. */
export interface PostfixOptions {
  /** Name in the banner and EHLO reply (default `mx.real.test`). */
  hostname?: string;
  /** Existing mailboxes; their domains become `virtual_mailbox_domains`. Everything else there is `550 5.1.1`. */
  mailboxes: readonly string[];
  /** Domains that accept every local part (`@domain` in `virtual_alias_maps`, pointing at the first mailbox). */
  catchAllDomains?: readonly string[];
  /**
   * Domains (of `mailboxes`) that refuse unknown recipients with policy wording instead of `550 5.1.1`:
   * `check_recipient_access` lists their mailboxes OK and the domain REJECT →
   * `554 5.7.1 <x>: Recipient address rejected: Access denied`, like directory-checking gateways.
   */
  policyRefusingDomains?: readonly string[];
  /** Client addresses refused by `check_client_access` → `554 5.7.1 … Client host rejected: Access denied` at RCPT. */
  rejectedClients?: readonly string[];
  /** Client addresses limited by anvil to `connectionsPerMinute`; beyond → `421 4.7.0 … too many connections`. */
  rateLimitedClients?: { addresses: readonly string[]; connectionsPerMinute: number };
  /** More main.cf settings, applied last (e.g. `{ smtpd_hard_error_limit: '4' }`). */
  extraSettings?: Record<string, string>;
}

/** Where the instance lives; everything is inside `root`. */
export interface PostfixPaths {
  root: string;
  configDirectory: string;
  queueDirectory: string;
  dataDirectory: string;
  logFile: string;
  certificateFile: string;
  keyFile: string;
}

export const DEFAULT_POSTFIX_HOSTNAME = 'mx.real.test';

/** The files of the instance directory, laid out under `root`. */
export function postfixPaths(root: string): PostfixPaths {
  const configDirectory = path.join(root, 'etc');
  return {
    root,
    configDirectory,
    queueDirectory: path.join(root, 'queue'),
    dataDirectory: path.join(root, 'data'),
    logFile: path.join(root, 'maillog'),
    certificateFile: path.join(configDirectory, 'cert.pem'),
    keyFile: path.join(configDirectory, 'key.pem'),
  };
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const unique = (values: readonly string[]) => [...new Set(values)];

/** The lookup tables (`texthash:` needs no postmap), by file name inside the config directory. */
export function postfixTables(options: PostfixOptions): Record<string, string> {
  const [firstMailbox] = options.mailboxes;
  const catchAllDomains = options.catchAllDomains ?? [];
  if (catchAllDomains.length > 0 && firstMailbox === undefined) {
    throw new Error('a catch-all domain needs at least one mailbox to point at');
  }
  const lines = (entries: readonly string[]) => entries.map((entry) => `${entry}\n`).join('');
  return {
    'virtual-mailboxes': lines(options.mailboxes.map((address) => `${address} ${domainOf(address)}/`)),
    'virtual-aliases': lines(catchAllDomains.map((domain) => `@${domain} ${firstMailbox}`)),
    'client-access': lines(
      (options.rejectedClients ?? []).map((address) => `${address} REJECT Access denied`),
    ),
    // The more specific key wins: a full address before its domain.
    'recipient-access': lines(
      (options.policyRefusingDomains ?? []).flatMap((domain) => [
        ...options.mailboxes
          .filter((address) => domainOf(address) === domain)
          .map((address) => `${address} OK`),
        `${domain} REJECT`,
      ]),
    ),
  };
}

/** main.cf: a receive-only MX for virtual domains, like one on the internet, that can never deliver. */
export function renderMainCf(options: PostfixOptions, paths: PostfixPaths): string {
  const table = (name: string) => `texthash:${path.join(paths.configDirectory, name)}`;
  const limited = options.rateLimitedClients;
  // Anvil limits every client outside the exceptions; "!address" takes the limited ones out of "everyone".
  const limitExceptions = [...(limited?.addresses ?? []).map((address) => `!${address}`), '0.0.0.0/0'];
  const settings: Record<string, string> = {
    compatibility_level: '3.6',
    config_directory: paths.configDirectory,
    queue_directory: paths.queueDirectory,
    data_directory: paths.dataDirectory,
    maillog_file: paths.logFile,
    maillog_file_prefixes: paths.root,
    myhostname: options.hostname ?? DEFAULT_POSTFIX_HOSTNAME,
    // The listener's address is set in master.cf; "loopback-only" only has to pass Postfix's interface check.
    inet_interfaces: 'loopback-only',
    inet_protocols: 'ipv4',
    // No client is trusted: the prober is a stranger, as on the internet.
    mynetworks: '',
    mydestination: '',
    relay_domains: '',
    alias_maps: '',
    alias_database: '',
    local_recipient_maps: '',
    smtpd_peername_lookup: 'no',
    virtual_mailbox_domains: unique(options.mailboxes.map(domainOf)).join(', '),
    virtual_mailbox_maps: table('virtual-mailboxes'),
    virtual_alias_domains: (options.catchAllDomains ?? []).join(', '),
    virtual_alias_maps: table('virtual-aliases'),
    smtpd_reject_unlisted_recipient: 'yes',
    smtpd_client_restrictions: `check_client_access ${table('client-access')}`,
    smtpd_recipient_restrictions: `check_recipient_access ${table('recipient-access')}`,
    smtpd_client_connection_rate_limit: String(limited?.connectionsPerMinute ?? 0),
    anvil_rate_time_unit: '60s',
    smtpd_client_event_limit_exceptions: limitExceptions.join(', '),
    smtputf8_enable: 'yes',
    smtpd_tls_security_level: 'may',
    smtpd_tls_cert_file: paths.certificateFile,
    smtpd_tls_key_file: paths.keyFile,
    smtpd_tls_loglevel: '1',
    // Flow control waits for tokens from qmgr, which this instance lacks: 1 s per accepting transaction.
    in_flow_delay: '0s',
    biff: 'no',
    ...options.extraSettings,
  };
  return Object.entries(settings)
    .map(([name, value]) => `${name} = ${value}\n`)
    .join('');
}

/**
 * master.cf: one smtpd on `host:port` and only the services it talks to. No qmgr, pickup or delivery agent
 * is configured, so a message that were ever accepted would stay in the queue for the test to see.
 */
export function renderMasterCf(host: string, port: number): string {
  return [
    `${host}:${port} inet n - n - - smtpd`,
    'cleanup unix n - n - 0 cleanup',
    'rewrite unix - - n - - trivial-rewrite',
    'anvil unix - - n - 1 anvil',
    'tlsmgr unix - - n 1000? 1 tlsmgr',
    'showq unix n - n - - showq',
    'postlog unix-dgram n - n - 1 postlogd',
    '',
  ].join('\n');
}
