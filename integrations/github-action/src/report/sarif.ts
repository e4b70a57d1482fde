import { createHash } from 'node:crypto';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Log } from 'sarif';
import type { Report, ReportAddress, ReportLocation } from './report.js';

/** The tool name code scanning shows beside each alert. */
export const SARIF_TOOL_NAME = 'Mailprobe';
const INFORMATION_URI = 'https://github.com/mailprobe/mailprobe/tree/main/integrations/github-action#readme';

/** One rule per kind of finding, so code scanning can group, filter and dismiss them separately. */
export const SARIF_RULES = {
  invalid: {
    id: 'mailprobe/invalid-address',
    short: 'Email address cannot receive mail',
    full: 'The address was verified INVALID: bad syntax, a domain without mail servers, or a mail server that refused the mailbox.',
  },
  unknown: {
    id: 'mailprobe/unknown-address',
    short: 'Email address could not be confirmed',
    full: 'The address was verified UNKNOWN: a catch-all domain, greylisting, a refused or rate-limited prober, or a timeout.',
  },
  expectation: {
    id: 'mailprobe/expectation-not-met',
    short: 'Fixture expectation not met',
    full: 'The fixture states what the address should be (its expectation key) and the verdict differs.',
  },
} as const;

function ruleFor(address: ReportAddress, location: ReportLocation): string {
  if (location.expected !== null) return SARIF_RULES.expectation.id;
  return address.status === 'INVALID' ? SARIF_RULES.invalid.id : SARIF_RULES.unknown.id;
}

function messageFor(address: ReportAddress, location: ReportLocation): string {
  const parts = [`${address.address}: ${location.problem}.`, address.detail];
  if (address.evidence) parts.push(`Evidence: ${address.evidence}.`);
  if (address.suggestion) parts.push(`Did you mean ${address.suggestion}?`);
  return parts.join(' ');
}

/** SARIF URIs are URI references: each path segment percent-encoded, `/` kept. */
function fileUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/**
 * The report as a SARIF 2.1.0 log for code scanning: one result per location that did not pass
 * (`error` when it fails the step, `warning` when it only warns), at the address's exact line and column.
 * A fingerprint of (file, address, rule) keeps an alert the same alert when lines move.
 */
export function buildSarif(report: Report): Log {
  // No tool version: the bundle stays byte-identical across releases (its freshness test rebuilds it).
  const run = new SarifRunBuilder();
  run.setToolDriverName(SARIF_TOOL_NAME);
  run.setToolDriverUri(INFORMATION_URI);
  for (const rule of Object.values(SARIF_RULES)) {
    run.addRule(
      new SarifRuleBuilder().initSimple({
        ruleId: rule.id,
        shortDescriptionText: rule.short,
        fullDescriptionText: rule.full,
        helpUri: INFORMATION_URI,
      }),
    );
  }
  for (const address of report.addresses) {
    for (const location of address.locations) {
      if (location.outcome === 'pass') continue;
      const ruleId = ruleFor(address, location);
      const result = new SarifResultBuilder().initSimple({
        level: location.outcome === 'fail' ? 'error' : 'warning',
        messageText: messageFor(address, location),
        ruleId,
        fileUri: fileUri(location.file),
        startLine: location.line,
        startColumn: location.column,
        endLine: location.line,
        endColumn: location.column + address.address.length,
      });
      const physical = result.result.locations?.[0]?.physicalLocation;
      if (physical?.artifactLocation) physical.artifactLocation.uriBaseId = '%SRCROOT%';
      result.result.partialFingerprints = {
        'mailprobeFinding/v1': createHash('sha256')
          .update(`${location.file}\0${address.address.toLowerCase()}\0${ruleId}`)
          .digest('hex'),
      };
      result.result.properties = {
        address: address.address,
        status: address.status,
        reason: address.reason,
        ...(location.expected !== null ? { expected: location.expected } : {}),
      };
      run.addResult(result);
    }
  }
  const builder = new SarifBuilder();
  builder.addRun(run);
  return builder.buildSarifOutput();
}
