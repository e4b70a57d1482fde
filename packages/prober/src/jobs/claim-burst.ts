/**
 * The chunks a worker claims back to back: each starts probing only once every one of them is ready to (its
 * addresses loaded and looked up in the cache) or has ended, so the engine sees the whole burst's work at once and
 * shares sessions per MX address across it, as it does for one long list. Without this, the first chunks' sessions
 * open (and may end) while the last chunks still load, and those chunks' domains need sessions of their own.
 */
export class ClaimBurst {
  private members = 0;
  private arrived = 0;
  private closed = false;
  private readonly opened: Promise<void>;
  private open!: () => void;

  /** `maxWaitMs`: the longest a ready chunk waits for the others (a member stuck on the store holds no one long). */
  constructor(private readonly maxWaitMs: number) {
    this.opened = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  /** A chunk claimed in this burst; the function it returns says it is ready to probe (or ended), once. */
  join(): () => void {
    this.members += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.arrived += 1;
      this.check();
    };
  }

  /** No more chunks join (the claim loop waits now: no work, no room, or a failure). */
  close(): void {
    this.closed = true;
    this.check();
  }

  /** Resolves once every member is ready or ended and the burst is closed, or after `maxWaitMs`. */
  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.opened,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.maxWaitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private check(): void {
    if (this.closed && this.arrived === this.members) this.open();
  }
}
