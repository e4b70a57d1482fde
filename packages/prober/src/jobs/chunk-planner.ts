/** The first early emission happens once this many chunks' worth of items wait; each next one at twice as many. */
const FIRST_EMIT_CHUNKS = 10;

/**
 * Groups job items into chunks of one domain (or several small domains) so the engine gets whole groups per MX
 * (and shares its sessions per MX address across all chunks in flight). A domain's chunk is emitted once full;
 * the rest waits to be packed, but not for the whole upload: the first emission comes after
 * FIRST_EMIT_CHUNKS chunks' worth of items, each next one after twice as many as the last (up to `maxBuffered`,
 * which also bounds memory), so workers start verifying while a large list is still uploading and later chunks
 * hold larger groups per domain.
 */
export class ChunkPlanner {
  private readonly byDomain = new Map<string, number[]>();
  private buffered = 0;
  /** Items waiting that trigger the next emission of everything. */
  private emitAt: number;

  constructor(
    private readonly chunkSize: number,
    private readonly maxBuffered: number,
  ) {
    this.emitAt = Math.min(maxBuffered, chunkSize * FIRST_EMIT_CHUNKS);
  }

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
    if (this.buffered < this.emitAt) return [];
    this.emitAt = Math.min(this.maxBuffered, this.emitAt * 2);
    return this.flush();
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
