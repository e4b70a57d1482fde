import type { Reason, Status } from '@mailprobe/core';

/** What a marketer does with an address, in the console's words. */
export type Verdict = 'send' | 'dont_send' | 'risky' | 'try_later';

export const VERDICT_LABELS: Record<Verdict, string> = {
  send: 'Safe to send',
  dont_send: "Don't send",
  risky: 'Risky',
  try_later: 'Try later',
};

/** The verdict of a result: accept-all domains are risky, every other UNKNOWN may settle on a later try. */
export function verdictOf(status: Status, reason: Reason): Verdict {
  if (status === 'VALID') return 'send';
  if (status === 'INVALID') return 'dont_send';
  return reason === 'catch_all' ? 'risky' : 'try_later';
}

/** Each reason in plain words, without codes (the codes stay in the evidence). */
export const REASON_WORDS: Record<Reason, string> = {
  accepted: 'The mail server confirmed that this mailbox exists.',
  invalid_syntax: 'This is not a well-formed email address.',
  domain_not_found: 'The domain does not exist.',
  no_mx: 'The domain does not receive email.',
  null_mx: 'The domain says it accepts no email at all.',
  mailbox_not_found: 'The mail server says this mailbox does not exist.',
  mailbox_disabled: 'The mail server says this mailbox is switched off.',
  catch_all: 'The domain accepts every address, so nobody can tell whether this mailbox is read.',
  greylisted: 'The mail server asked to be asked again later (greylisting).',
  mailbox_full: 'The mailbox exists but is full; it may take mail again later.',
  blocked: 'The mail server refused to talk to the checker, so the mailbox could not be checked.',
  rate_limited: 'The mail server asked the checker to slow down; try again later.',
  timeout: 'The mail server did not answer in time.',
  connection_failed: 'No mail server of this domain could be reached.',
  dns_error: "The domain's records could not be looked up just now.",
  unroutable_mx: "The domain's mail server sits on a private network the checker does not reach.",
  temporary_failure: 'The mail server had a temporary problem.',
  unexpected_response: 'The mail server answered in a way that says nothing about the mailbox.',
  not_checked: 'The job was finished before this address was checked; it was not charged.',
};
