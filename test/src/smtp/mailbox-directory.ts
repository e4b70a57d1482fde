import type { ResolvedSmtpOptions } from './fake-smtp-options.js';

export type MailboxState = 'exists' | 'disabled' | 'full' | 'unknown';

/** Mailbox key: local part kept as is, domain lower-cased (domains are case-insensitive, local parts need not be). */
export function mailboxKey(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/** The server's view of its mailboxes, from the options. */
export class MailboxDirectory {
  readonly #states = new Map<string, MailboxState>();
  readonly #rawReplies = new Map<string, string>();
  readonly #catchAll: boolean;

  constructor(
    options: Pick<ResolvedSmtpOptions, 'mailboxes' | 'disabled' | 'full' | 'catchAll' | 'rcptReplies'>,
  ) {
    for (const address of options.mailboxes) this.#states.set(mailboxKey(address), 'exists');
    for (const address of options.disabled) this.#states.set(mailboxKey(address), 'disabled');
    for (const address of options.full) this.#states.set(mailboxKey(address), 'full');
    for (const [address, reply] of Object.entries(options.rcptReplies)) {
      this.#rawReplies.set(mailboxKey(address), reply);
    }
    this.#catchAll = options.catchAll;
  }

  /** A scripted raw reply for this recipient, if the test gave one. */
  rawReplyFor(address: string): string | undefined {
    return this.#rawReplies.get(mailboxKey(address));
  }

  stateOf(address: string): MailboxState {
    return this.#states.get(mailboxKey(address)) ?? (this.#catchAll ? 'exists' : 'unknown');
  }
}
