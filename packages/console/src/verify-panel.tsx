import type { VerificationResult } from '@mailprobe/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ConsoleApi, describeError } from './api.js';
import { VerdictBadge } from './status-badge.js';
import { REASON_WORDS, VERDICT_LABELS, verdictOf } from './verdict.js';

const FLAG_LABELS: Record<string, string> = {
  roleAccount: 'Role account (info@, sales@ …)',
  disposable: 'Disposable address',
  freeProvider: 'Free mail provider',
  catchAll: 'Accepts every address (catch-all)',
};

export function VerifyPanel(props: { api: ConsoleApi }) {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<VerificationResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const [focusResult, setFocusResult] = useState(0);

  useEffect(() => {
    if (focusResult > 0) resultHeading.current?.focus();
  }, [focusResult]);

  const check = async (address: string, fresh = false) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await props.api.verify(address, { fresh }));
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
      setFocusResult((turn) => turn + 1);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void check(email);
  };
  const checkSuggestion = (suggestion: string) => {
    setEmail(suggestion);
    void check(suggestion);
  };

  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading" tabIndex={-1}>
        Verify one address
      </h2>
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
      {/* Present before any result, so screen readers announce what lands in it. */}
      <p class="visually-hidden" aria-live="polite" data-testid="verify-live">
        {busy
          ? 'Checking…'
          : result
            ? `${result.address}: ${VERDICT_LABELS[verdictOf(result.status, result.reason)]}. ${REASON_WORDS[result.reason]}`
            : ''}
      </p>
      {error && (
        <p class="error" role="alert" tabIndex={-1}>
          {error}
        </p>
      )}
      {result && (
        <ResultCard
          result={result}
          headingRef={resultHeading}
          busy={busy}
          onCheckAgain={() => void check(result.address, true)}
          onCheckSuggestion={checkSuggestion}
        />
      )}
    </section>
  );
}

function ResultCard(props: {
  result: VerificationResult;
  headingRef: { current: HTMLHeadingElement | null };
  busy: boolean;
  onCheckAgain: () => void;
  onCheckSuggestion: (address: string) => void;
}) {
  const { result } = props;
  const flags = Object.entries(result.flags).filter(([, value]) => value === true);
  const verdict = verdictOf(result.status, result.reason);
  return (
    <article
      class={`result verdict-${verdict}`}
      data-testid="verify-result"
      aria-labelledby="verify-result-heading"
    >
      <h3 id="verify-result-heading" class="result-line" tabIndex={-1} ref={props.headingRef}>
        <VerdictBadge status={result.status} reason={result.reason} /> <code>{result.address}</code>
      </h3>
      <p class="reason-words">{REASON_WORDS[result.reason]}</p>
      {result.syntaxError && <p>What is wrong: {result.syntaxError.message}</p>}
      {result.suggestion && (
        <p class="suggestion">
          Did you mean <code>{result.suggestion}</code>?{' '}
          <button
            type="button"
            class="secondary"
            disabled={props.busy}
            onClick={() => props.onCheckSuggestion(result.suggestion as string)}
          >
            Check {result.suggestion}
          </button>
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
          <dt>Verdict</dt>
          <dd>
            <code>{result.status}</code> · reason <code class="reason">{result.reason}</code>
          </dd>
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
      <button type="button" class="secondary" disabled={props.busy} onClick={props.onCheckAgain}>
        Check again (skip the cache)
      </button>
    </article>
  );
}
