import type { MeResponse } from '@mailprobe/core';
import { useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, describeError } from './api.js';

type Me = MeResponse & { webhookSecretHint?: string | null; webhooks?: { secretHint?: string | null } };

export function UsagePanel(props: { api: ConsoleApi }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    props.api.me().then(
      (account) => setMe(account as Me),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, [props.api]);

  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!me) return <p>Loading…</p>;
  const { quota, used, requestsPerMinute } = me.limits;
  const hint = me.webhookSecretHint ?? me.webhooks?.secretHint ?? null;
  return (
    <section aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage</h2>
      <dl class="usage">
        <dt>Verifications used</dt>
        <dd data-testid="quota-used">{used.toLocaleString()}</dd>
        <dt>Quota left</dt>
        <dd>{quota === null ? 'Unlimited' : Math.max(0, quota - used).toLocaleString()}</dd>
        {quota !== null && (
          <>
            <dt>Quota</dt>
            <dd>
              <progress max={quota || 1} value={used} aria-label="Quota used" /> {used.toLocaleString()} of{' '}
              {quota.toLocaleString()}
            </dd>
          </>
        )}
        <dt>Rate limit</dt>
        <dd>{requestsPerMinute === null ? 'Unlimited' : `${requestsPerMinute} requests per minute`}</dd>
        <dt>Webhook signing secret</dt>
        <dd>{hint ? <code>{hint}</code> : 'Shown once when the key was created'}</dd>
      </dl>
      <h3>Verifying webhook signatures</h3>
      <p>
        Every callback and webhook delivery for this key is signed with the key's own secret in the{' '}
        <code>Mailprobe-Signature</code> header. Check it before trusting the body — with the core package:
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: code wider than a phone scrolls; the keyboard must reach it */}
      <section class="code-scroll" tabIndex={0} aria-label="Example: checking a webhook signature">
        <pre>
          <code>{`import { verifyWebhookSignature } from '@mailprobe/core';

// rawBody: the request body exactly as received (a string or Buffer), not re-serialised JSON
const check = verifyWebhookSignature(
  process.env.MAILPROBE_WEBHOOK_SECRET,     // this key's secret, shown once at creation
  request.headers['mailprobe-signature'],
  rawBody,
);
if (!check.ok) return reply.code(400).send(check.reason);   // 'malformed', 'mismatch' or 'expired'`}</code>
        </pre>
      </section>
      <p class="muted">
        An operator rotates the secret with <code>mailprobe keys rotate-webhook-secret</code>; during the
        overlap period deliveries carry both signatures.
      </p>
    </section>
  );
}
