// A count of the characters the address grammar visits. Every scan of the input charges what it reads, so a test
// can prove that parsing is linear in the input (a bound on characters visited) without reading a clock.
// Parsing is synchronous, so one module-level counter is exact: nothing else runs between charge and read.

let visited = 0;

/** Records that the grammar read `count` characters (one per loop step, or a whole string for a built-in scan). */
export function chargeVisits(count: number): void {
  visited += count;
}

/** Runs `parse` and returns its result with the number of characters the grammar visited meanwhile. */
export function countVisits<T>(parse: () => T): { result: T; visits: number } {
  const before = visited;
  const result = parse();
  return { result, visits: visited - before };
}
