import type { Report } from './report.js';

/** One `::error`/`::warning` to emit, at an exact place. */
export interface Annotation {
  level: 'error' | 'warning';
  message: string;
  title: string;
  file: string;
  startLine: number;
  startColumn: number;
}

/** One annotation per location that did not pass, in report order. */
export function annotationsFor(report: Report): Annotation[] {
  const annotations: Annotation[] = [];
  for (const address of report.addresses) {
    for (const location of address.locations) {
      if (location.outcome === 'pass') continue;
      const parts = [`${address.address}: ${location.problem}.`, address.detail];
      if (address.evidence) parts.push(`Evidence: ${address.evidence}.`);
      if (address.suggestion) parts.push(`Did you mean ${address.suggestion}?`);
      annotations.push({
        level: location.outcome === 'fail' ? 'error' : 'warning',
        title:
          location.expected !== null
            ? 'Mailprobe: expectation not met'
            : `Mailprobe: ${address.status.toLowerCase()} address`,
        message: parts.join(' '),
        file: location.file,
        startLine: location.line,
        startColumn: location.column,
      });
    }
  }
  return annotations;
}
