import { candidatesInValue } from './address-pattern.js';
import type { ExtractContext, Occurrence } from './occurrence.js';

const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(.*)$/;

/** Addresses in a dotenv file: `KEY=value` lines (quotes and `export` allowed, `#` comments skipped). */
export function extractFromEnv(text: string, context: ExtractContext): Occurrence[] {
  const occurrences: Occurrence[] = [];
  text.split('\n').forEach((rawLine, lineIndex) => {
    const line = rawLine.replace(/\r$/, '');
    const assignment = ASSIGNMENT.exec(line);
    if (!assignment) return;
    const [, indent = '', key = '', equals = '', rest = ''] = assignment;
    const valueStart = indent.length + key.length + equals.length;
    const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : null;
    let value: string;
    let offset = valueStart;
    if (quote) {
      const close = rest.indexOf(quote, 1);
      value = rest.slice(1, close > 0 ? close : undefined);
      offset += 1;
    } else {
      // An unquoted value ends at an inline comment (` #`).
      value = rest.replace(/\s+#.*$/, '');
    }
    for (const candidate of candidatesInValue(value, key)) {
      occurrences.push({
        address: candidate.value,
        file: context.file,
        line: lineIndex + 1,
        column: offset + candidate.index + 1,
        expected: null,
      });
    }
  });
  return occurrences;
}
