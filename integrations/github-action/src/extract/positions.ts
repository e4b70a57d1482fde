/** A 1-based line and column (UTF-16 code units), as GitHub annotations expect. */
export interface Position {
  line: number;
  column: number;
}

/** Maps character offsets of one text to line/column positions. */
export class LineIndex {
  readonly #lineStarts: number[] = [0];

  constructor(text: string) {
    for (let index = 0; index < text.length; index += 1) {
      if (text.charCodeAt(index) === 10) this.#lineStarts.push(index + 1);
    }
  }

  /** The position of `offset` (0-based). */
  positionOf(offset: number): Position {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.#lineStarts[low] ?? 0) + 1 };
  }
}
