import { REASON_DESCRIPTIONS, type VerificationResult } from '@mailprobe/core';
import { useState } from 'preact/hooks';
import { type ConsoleApi, describeError } from './api.js';
import { StatusBadge } from './status-badge.js';

const FLAG_LABELS: Record<string, string> = {
  roleAccount: 'Role account (info@, sales@ …)',
  disposable: 'Disposable address',
  freeProvider: 'Free mail provider',
  catchAll: 'Catch-all domain',
};

export function VerifyPanel(props: { api: ConsoleApi }) {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<VerificationResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await props.api.verify(email));
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">Verify one address</h2>
      <form onSubmit={submit} class="inline-form">
        <label for="verify-email">Email address</label>
        <input
          id="verify-email"
          type="text"
          inputMode="email"
          autocomplete="off"
          spellcheck={false}
          required
          value={email}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Verify'}
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {result && <ResultCard result={result} />}
    </section>
  );
}

function ResultCard({ result }: { result: VerificationResult }) {
  const flags = Object.entries(result.flags).filter(([, value]) => value === true);
  return (
    <article class="result" aria-live="polite" data-testid="verify-result">
      <p class="result-line">
        <StatusBadge status={result.status} /> <code>{result.address}</code>
      </p>
      <p>
        <strong class="reason">{result.reason}</strong>: {REASON_DESCRIPTIONS[result.reason]}
      </p>
      {result.syntaxError && <p>Syntax: {result.syntaxError.message}</p>}
      {result.suggestion && (
        <p>
          Did you mean <code>{result.suggestion}</code>?
        </p>
      )}
      {flags.length > 0 && (
        <ul class="flags">
          {flags.map(([name]) => (
            <li key={name}>{FLAG_LABELS[name] ?? name}</li>
          ))}
        </ul>
      )}
      <details>
        <summary>Evidence</summary>
        <dl>
          <dt>MX</dt>
          <dd>{result.mx.length > 0 ? result.mx.join(', ') : '—'}</dd>
          <dt>Mail server</dt>
          <dd>{result.smtp?.host ? `${result.smtp.host} (${result.smtp.ip ?? '?'})` : '—'}</dd>
          <dt>Reply</dt>
          <dd>
            {result.smtp?.replyCode ? (
              <code>
                {result.smtp.replyCode} {result.smtp.enhancedCode ?? ''} {result.smtp.replyText ?? ''}
              </code>
            ) : (
              '—'
            )}
          </dd>
          <dt>Checked</dt>
          <dd>
            {new Date(result.checkedAt).toLocaleString()}
            {result.cached ? ' (from cache)' : ''}
          </dd>
        </dl>
      </details>
    </article>
  );
}
