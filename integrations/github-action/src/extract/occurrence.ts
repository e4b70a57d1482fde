/** One place an address appears in a fixture file. */
export interface Occurrence {
  /** The address text as written (trimmed). */
  address: string;
  /** Path relative to the workspace, with `/` separators. */
  file: string;
  line: number;
  column: number;
  /** The fixture's stated expectation (the value of the expect-key sibling), if any. */
  expected: string | null;
}

/** What an extractor needs besides the text. */
export interface ExtractContext {
  file: string;
  /** Name of the sibling key/column that states the expected verdict, e.g. `expected`. */
  expectKey: string;
}

/** A file whose declared format could not be parsed; the caller falls back to scanning it as text. */
export class FormatError extends Error {
  readonly code = 'unparseable_file';

  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}
