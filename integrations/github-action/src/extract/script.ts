import { candidatesInValue, findAddressesInText } from './address-pattern.js';
import type { ExtractContext, Occurrence } from './occurrence.js';
import { LineIndex } from './positions.js';

type Token =
  | { kind: 'string'; text: string; offset: number }
  | { kind: 'word'; text: string }
  | { kind: 'punct'; text: string };

// After these a `/` starts a regular expression rather than a division.
const REGEX_AFTER_PUNCT = new Set([
  '(',
  ',',
  '=',
  ':',
  '[',
  '!',
  '&',
  '|',
  '?',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '%',
  '<',
  '>',
  '~',
  '^',
]);
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
]);

/**
 * Splits TypeScript/JavaScript into the tokens the extractor needs: string literal contents (with
 * offsets), words and punctuation. Comments are skipped; regular expression literals are skipped so
 * a quote inside one does not derail the scan. Not a parser — just careful enough for fixtures.
 */
export function tokenizeScript(source: string): Token[] {
  const tokens: Token[] = [];
  // Brace depth at which each open template literal's `${` began.
  const templates: number[] = [];
  let depth = 0;
  let index = 0;

  const readTemplateChunk = (): void => {
    const start = index;
    while (index < source.length) {
      const char = source[index];
      if (char === '\\') index += 2;
      else if (char === '`') {
        tokens.push({ kind: 'string', text: source.slice(start, index), offset: start });
        index += 1;
        return;
      } else if (char === '$' && source[index + 1] === '{') {
        tokens.push({ kind: 'string', text: source.slice(start, index), offset: start });
        templates.push(depth);
        depth += 1;
        index += 2;
        tokens.push({ kind: 'punct', text: '(' });
        return;
      } else index += 1;
    }
    tokens.push({ kind: 'string', text: source.slice(start), offset: start });
  };

  while (index < source.length) {
    const char = source[index] ?? '';
    const next = source[index + 1];
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index);
      index = end < 0 ? source.length : end;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      index = end < 0 ? source.length : end + 2;
    } else if (char === '"' || char === "'") {
      const start = index + 1;
      index = start;
      while (index < source.length && source[index] !== char && source[index] !== '\n') {
        index += source[index] === '\\' ? 2 : 1;
      }
      tokens.push({ kind: 'string', text: source.slice(start, index), offset: start });
      index += 1;
    } else if (char === '`') {
      index += 1;
      readTemplateChunk();
    } else if (char === '/' && startsRegex(tokens.at(-1))) {
      index = skipRegex(source, index);
    } else if (/[\p{L}\p{N}_$]/u.test(char)) {
      const start = index;
      while (index < source.length && /[\p{L}\p{N}_$]/u.test(source[index] ?? '')) index += 1;
      tokens.push({ kind: 'word', text: source.slice(start, index) });
    } else if (/\s/.test(char)) {
      index += 1;
    } else {
      index += 1;
      if (char === '{') depth += 1;
      if (char === '}') {
        depth -= 1;
        if (templates.at(-1) === depth) {
          templates.pop();
          tokens.push({ kind: 'punct', text: ')' });
          readTemplateChunk();
          continue;
        }
      }
      tokens.push({ kind: 'punct', text: char });
    }
  }
  return tokens;
}

function startsRegex(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'punct') return REGEX_AFTER_PUNCT.has(previous.text);
  if (previous.kind === 'word') return REGEX_AFTER_WORD.has(previous.text);
  return false;
}

/** The index just past the regular expression literal starting at `start`. */
function skipRegex(source: string, start: number): number {
  let index = start + 1;
  let inClass = false;
  while (index < source.length) {
    const char = source[index];
    if (char === '\n') return start + 1; // not a regex after all; treat the slash as punctuation
    if (char === '\\') index += 1;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) break;
    index += 1;
  }
  index += 1;
  while (index < source.length && /[a-z]/i.test(source[index] ?? '')) index += 1;
  return index;
}

interface ObjectFrame {
  expected: string | null;
  occurrences: Occurrence[];
}

/**
 * Addresses in string literals of TypeScript/JavaScript. In an object literal such as
 * `{ email: 'a@x.com', expected: 'invalid' }` the `expectKey` property states the expectation.
 */
export function extractFromScript(source: string, context: ExtractContext): Occurrence[] {
  const tokens = tokenizeScript(source);
  const lines = new LineIndex(source);
  const done: Occurrence[] = [];
  const frames: ObjectFrame[] = [];
  const close = (frame: ObjectFrame | undefined): void => {
    if (!frame) return;
    for (const occurrence of frame.occurrences) done.push({ ...occurrence, expected: frame.expected });
  };

  tokens.forEach((token, position) => {
    if (token.kind === 'punct' && token.text === '{') frames.push({ expected: null, occurrences: [] });
    else if (token.kind === 'punct' && token.text === '}') close(frames.pop());
    if (token.kind !== 'string') return;

    const keyToken = tokens[position - 2];
    const isPropertyValue =
      tokens[position - 1]?.kind === 'punct' &&
      tokens[position - 1]?.text === ':' &&
      (keyToken?.kind === 'word' || keyToken?.kind === 'string');
    const key = isPropertyValue && keyToken ? keyToken.text : null;
    const frame = frames.at(-1);
    if (key === context.expectKey && frame) {
      frame.expected = token.text.trim() || null;
      return;
    }
    const candidates = key === null ? findAddressesInText(token.text) : candidatesInValue(token.text, key);
    for (const candidate of candidates) {
      const occurrence: Occurrence = {
        address: candidate.value,
        file: context.file,
        ...lines.positionOf(token.offset + candidate.index),
        expected: null,
      };
      (frame ? frame.occurrences : done).push(occurrence);
    }
  });
  while (frames.length > 0) close(frames.pop());
  return done.sort((left, right) => left.line - right.line || left.column - right.column);
}
