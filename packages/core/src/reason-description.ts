import type { Provider } from './providers.js';
import { REASON_DESCRIPTIONS, type Reason } from './vocabulary.js';

const GATEWAY_NOTE =
  'The MX is a security gateway, which may accept at RCPT time and bounce later: treat acceptance as likely, not certain.';

/** Where a provider changes what a reason means: the sentence added to the reason's description. */
export const PROVIDER_REASON_NOTES: Partial<Record<Provider, Partial<Record<Reason, string>>>> = {
  microsoft365: {
    catch_all:
      'Microsoft 365 accepts every address when the tenant has directory-based edge blocking off: catch-all by configuration; unknown mailboxes bounce later.',
  },
  proofpoint: { accepted: GATEWAY_NOTE, catch_all: GATEWAY_NOTE },
  mimecast: { accepted: GATEWAY_NOTE, catch_all: GATEWAY_NOTE },
  barracuda: { accepted: GATEWAY_NOTE, catch_all: GATEWAY_NOTE },
  cisco: { accepted: GATEWAY_NOTE, catch_all: GATEWAY_NOTE },
};

/** The reason's description for people, with the provider's note where the provider changes its meaning. */
export function describeReason(reason: Reason, provider: Provider | undefined = undefined): string {
  const note = provider ? PROVIDER_REASON_NOTES[provider]?.[reason] : undefined;
  return note ? `${REASON_DESCRIPTIONS[reason]} ${note}` : REASON_DESCRIPTIONS[reason];
}
