/**
 * Groups job items into chunks of one domain (or several small domains) so the engine gets whole groups per
 * MX and can reuse sessions. Memory stays bounded: once `maxBuffered` items wait, everything is packed and emitted.
 */
export class ChunkPlanner {
  private readonly byDomain = new Map<string, number[]>();
  private buffered = 0;

  constructor(
    private readonly chunkSize: number,
    private readonly maxBuffered: number,
  ) {}

  /** Adds an item; returns the chunks that became ready. */
  add(domain: string, index: number): number[][] {
    let group = this.byDomain.get(domain);
    if (!group) {
      group = [];
      this.byDomain.set(domain, group);
    }
    group.push(index);
    this.buffered += 1;
    if (group.length >= this.chunkSize) {
      this.byDomain.delete(domain);
      this.buffered -= group.length;
      return [group];
    }
    return this.buffered >= this.maxBuffered ? this.flush() : [];
  }

  /** Emits everything buffered: domains sorted by name, small ones packed together up to `chunkSize`. */
  flush(): number[][] {
    const chunks: number[][] = [];
    let current: number[] = [];
    for (const domain of [...this.byDomain.keys()].sort()) {
      const group = this.byDomain.get(domain) as number[];
      if (current.length + group.length > this.chunkSize && current.length > 0) {
        chunks.push(current);
        current = [];
      }
      current.push(...group);
    }
    if (current.length > 0) chunks.push(current);
    this.byDomain.clear();
    this.buffered = 0;
    return chunks;
  }
}
