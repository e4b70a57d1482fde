import type { Report } from './report.js';

/** Problem rows shown in the job summary; the JSON report has all of them. */
export const SUMMARY_MAX_ROWS = 200;

/** Escapes text for a Markdown table cell (HTML is rendered in job summaries). */
export function escapeCell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '&#124;')
    .replaceAll('\n', ' ');
}

/** The job summary: counts, then a table of the problems with reasons and suggestions. */
export function renderSummary(report: Report): string {
  const { counts } = report;
  const verdictLabel = counts.failed > 0 ? `❌ ${counts.failed} failing` : '✅ no failures';
  const lines = [
    `## Mailprobe: ${verdictLabel}`,
    '',
    `Mode \`${report.mode}\`, fail-on \`${report.failOn}\`, ${counts.files} file${counts.files === 1 ? '' : 's'} scanned.`,
    '',
    '| Addresses | Valid | Invalid | Unknown | Failed | Warned | Ignored |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${counts.total} | ${counts.valid} | ${counts.invalid} | ${counts.unknown} | ${counts.failed} | ${counts.warned} | ${counts.ignored} |`,
    '',
  ];
  const problems = report.addresses.flatMap((address) =>
    address.locations
      .filter((location) => location.outcome !== 'pass')
      .map((location) => ({ address, location })),
  );
  problems.sort((left, right) =>
    left.location.outcome === right.location.outcome ? 0 : left.location.outcome === 'fail' ? -1 : 1,
  );
  if (problems.length > 0) {
    lines.push(
      '### Problems',
      '',
      '| | Address | Location | Verdict | Problem | Reason | Suggestion |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const { address, location } of problems.slice(0, SUMMARY_MAX_ROWS)) {
      const icon = location.outcome === 'fail' ? '❌' : '⚠️';
      const verdict = address.reason ? `${address.status} \`${address.reason}\`` : address.status;
      const reason = address.evidence ? `${address.detail} (${address.evidence})` : address.detail;
      lines.push(
        `| ${icon} | ${escapeCell(address.address)} | \`${escapeCell(`${location.file}:${location.line}:${location.column}`)}\` | ${verdict} | ${escapeCell(location.problem ?? '')} | ${escapeCell(reason)} | ${address.suggestion ? escapeCell(address.suggestion) : ''} |`,
      );
    }
    if (problems.length > SUMMARY_MAX_ROWS) {
      lines.push('', `…and ${problems.length - SUMMARY_MAX_ROWS} more; see the JSON report.`);
    }
    lines.push('');
  }
  for (const note of report.notes) lines.push(`> ${escapeCell(note.file)}: ${escapeCell(note.message)}`, '');
  return `${lines.join('\n')}\n`;
}
