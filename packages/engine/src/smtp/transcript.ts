/** Most lines a transcript keeps; later ones are counted, not stored. */
export const MAX_TRANSCRIPT_LINES = 200;
/** Longest line a transcript keeps, in characters. */
export const MAX_TRANSCRIPT_LINE_LENGTH = 300;

/** A bounded `C:`/`S:`/`*:` log of one session, for debugging. */
export class Transcript {
  readonly #lines: string[] = [];
  readonly #enabled: boolean;
  #omitted = 0;

  /** A disabled transcript records nothing (callers that never read it skip the cost of every line). */
  constructor(enabled = true) {
    this.#enabled = enabled;
  }

  client(line: string): void {
    this.#add('C', line);
  }

  server(line: string): void {
    this.#add('S', line);
  }

  note(line: string): void {
    this.#add('*', line);
  }

  lines(): string[] {
    return this.#omitted === 0
      ? [...this.#lines]
      : [...this.#lines, `*: … ${this.#omitted} more lines omitted`];
  }

  #add(direction: 'C' | 'S' | '*', line: string): void {
    if (!this.#enabled) return;
    if (this.#lines.length >= MAX_TRANSCRIPT_LINES) {
      this.#omitted += 1;
      return;
    }
    const kept =
      line.length > MAX_TRANSCRIPT_LINE_LENGTH ? `${line.slice(0, MAX_TRANSCRIPT_LINE_LENGTH)}…` : line;
    this.#lines.push(`${direction}: ${kept}`);
  }
}
