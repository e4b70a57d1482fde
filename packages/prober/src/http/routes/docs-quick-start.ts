import type { VerificationResult, VerifyRequest } from '@mailprobe/core';

/** The first call a reader makes: one address, with the default time budget. */
export const VERIFY_REQUEST_EXAMPLE: VerifyRequest = { email: 'ann.lee@example.com' };

/** What that call answers for a mailbox the server confirmed (a real probe's shape, evidence included). */
export const VERIFY_RESPONSE_EXAMPLE: VerificationResult = {
  address: 'ann.lee@example.com',
  normalized: 'ann.lee@example.com',
  status: 'VALID',
  reason: 'accepted',
  domain: 'example.com',
  flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
  suggestion: null,
  mx: ['mx1.example.com', 'mx2.example.com'],
  smtp: {
    host: 'mx1.example.com',
    ip: '203.0.113.25',
    port: 25,
    sourceAddress: '198.51.100.7',
    heloName: 'probe.mailprobe.example',
    tls: true,
    replyCode: 250,
    enhancedCode: '2.1.5',
    replyText: 'Recipient OK',
  },
  syntaxError: null,
  retryAfterSeconds: null,
  timings: { dnsMs: 18, connectMs: 41, smtpMs: 312, queuedMs: 0, totalMs: 371 },
  checkedAt: '2026-03-02T09:14:07.512Z',
  cached: false,
};

/** Where the quick start goes in the built /docs page (Redoc renders the reference below it). */
export const QUICK_START_MARKER = '<!--mailprobe:quick-start-->';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The curl command of the first example, for a server at `baseUrl`. */
export function quickStartCurl(baseUrl: string): string {
  return [
    `curl -sS ${baseUrl}/v1/verify \\`,
    '  -H "Authorization: Bearer $MAILPROBE_API_KEY" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d '${JSON.stringify(VERIFY_REQUEST_EXAMPLE)}'`,
  ].join('\n');
}

/**
 * The top of /docs: base URL, the Bearer key, one copyable call with its answer, then where lists and the
 * reference are. Plain HTML, so it shows before any script has loaded.
 */
export function renderQuickStart(baseUrl: string): string {
  const base = escapeHtml(baseUrl);
  return `<section id="quick-start" class="quick-start" aria-labelledby="quick-start-heading">
<h1 id="quick-start-heading">Mailprobe API: quick start</h1>
<ol>
<li><strong>Base URL</strong>: <code data-testid="base-url">${base}</code> (every path below starts with <code>/v1</code>).</li>
<li><strong>Your API key</strong> goes in every call as <code>Authorization: Bearer &lt;key&gt;</code>. An operator makes one with <code>mailprobe keys create --name you</code>; keep it secret.</li>
<li><strong>Verify one address</strong> (this takes a few seconds: it asks the domain's mail server, without sending mail):</li>
</ol>
<div class="copyable">
<pre id="quick-start-curl" tabindex="0" role="region" aria-label="curl command"><code>${escapeHtml(quickStartCurl(baseUrl))}</code></pre>
<button type="button" class="copy" data-copy="quick-start-curl" hidden>Copy the curl command</button>
</div>
<p>The answer (<code>200</code>): <code>status</code> is <code>VALID</code>, <code>INVALID</code> or <code>UNKNOWN</code> (never a guess), <code>reason</code> says why, <code>smtp</code> holds the evidence.</p>
<pre id="quick-start-response" tabindex="0" role="region" aria-label="Example answer" data-example="verify-response"><code>${escapeHtml(JSON.stringify(VERIFY_RESPONSE_EXAMPLE, null, 2))}</code></pre>
<p><strong>Lists</strong>: <code>POST /v1/jobs</code> with your CSV or Excel file as the body, follow <code>GET /v1/jobs/{id}</code>, then download <code>GET /v1/jobs/{id}/results?format=csv</code>: every row back, in order, with the verdict added. Errors always look like <code>{"error":{"code","message"}}</code>.</p>
<p>The full reference follows (machine-readable: <a href="/openapi.json">/openapi.json</a>); health and metrics endpoints come last.</p>
</section>`;
}
