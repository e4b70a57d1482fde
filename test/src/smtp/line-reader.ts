const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines on LF, dropping one CR before it. A bare CR inside a line is kept, so
 * tests can see a client that lets one through. Lines longer than `maxLineBytes` are cut at that length.
 */
export class LineReader {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #discarding = false;
  readonly #maxLineBytes: number;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** Feed bytes; returns the complete lines they finish. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(LF); newline >= 0; newline = chunk.indexOf(LF, start)) {
      this.#keep(chunk.subarray(start, newline));
      let line = Buffer.concat(this.#pending);
      if (line.at(-1) === CR) line = line.subarray(0, -1);
      lines.push(line.toString('utf8'));
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#discarding = false;
      start = newline + 1;
    }
    this.#keep(chunk.subarray(start));
    return lines;
  }

  /** Forget any partial line (e.g. plaintext sent after STARTTLS). */
  reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#discarding = false;
  }

  #keep(part: Buffer): void {
    if (this.#discarding || part.length === 0) return;
    const room = this.#maxLineBytes - this.#pendingBytes;
    const kept = part.length > room ? part.subarray(0, room) : part;
    this.#pending.push(kept);
    this.#pendingBytes += kept.length;
    this.#discarding = this.#pendingBytes >= this.#maxLineBytes;
  }
}
