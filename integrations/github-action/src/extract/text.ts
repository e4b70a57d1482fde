import { findAddressesInText } from './address-pattern.js';
import type { ExtractContext, Occurrence } from './occurrence.js';
import { LineIndex } from './positions.js';

/** Addresses in plain text, found with the careful pattern. */
export function extractFromText(text: string, context: ExtractContext): Occurrence[] {
  const lines = new LineIndex(text);
  return findAddressesInText(text).map((match) => ({
    address: match.value,
    file: context.file,
    ...lines.positionOf(match.index),
    expected: null,
  }));
}
