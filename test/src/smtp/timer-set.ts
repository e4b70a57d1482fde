/** Timers owned by one session or server, all cleared in one teardown. */
export class TimerSet {
  readonly #timers = new Set<NodeJS.Timeout>();

  after(delayMs: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, delayMs);
    this.#timers.add(timer);
  }

  clearAll(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
