import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { candidatesInValue } from './address-pattern.js';
import { type ExtractContext, FormatError, type Occurrence } from './occurrence.js';

/**
 * Addresses in JSON or YAML (JSON is parsed as YAML 1.2, which keeps source positions for both).
 * An address that is a value in a mapping takes its expectation from the sibling `expectKey`.
 */
export function extractFromStructured(text: string, context: ExtractContext): Occurrence[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (!Array.isArray(documents)) return [];
  for (const document of documents) {
    const problem = document.errors[0];
    if (problem) throw new FormatError(problem.message.split('\n')[0] ?? 'parse error');
  }

  const occurrences: Occurrence[] = [];
  const addValue = (node: Node, key: string | null, expected: string | null): void => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    const [start, end] = node.range;
    const source = text.slice(start, end);
    for (const candidate of candidatesInValue(node.value, key)) {
      // Point at the address inside the source (past quotes); when escapes or folding make the
      // source differ from the value, the start of the scalar is the best exact place we have.
      const inSource = source.indexOf(candidate.value);
      const { line, col } = lineCounter.linePos(inSource >= 0 ? start + inSource : start);
      occurrences.push({ address: candidate.value, file: context.file, line, column: col, expected });
    }
  };

  const walk = (node: unknown): void => {
    if (isMap(node)) {
      let expected: string | null = null;
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (key === context.expectKey && isScalar(pair.value) && pair.value.value !== null) {
          expected = String(pair.value.value);
        }
      }
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (key === context.expectKey) continue;
        if (isScalar(pair.value)) addValue(pair.value, key, expected);
        else walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isScalar(item)) addValue(item, null, null);
        else walk(item);
      }
    } else if (isScalar(node)) {
      addValue(node, null, null);
    }
  };
  for (const document of documents) walk(document.contents);
  return occurrences;
}
