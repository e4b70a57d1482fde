/** Every timer a session may run, by phase. */
export type TimerName = 'connect' | 'reply' | 'tls' | 'quit' | 'total';

/** Named one-shot timers, all cleared in one call at teardown. */
export class PhaseTimers {
  readonly #timers = new Map<TimerName, NodeJS.Timeout>();

  /** (Re)starts `name`; `onExpire` runs once unless cleared first. */
  set(name: TimerName, ms: number, onExpire: () => void): void {
    this.clear(name);
    const timer = setTimeout(
      () => {
        this.#timers.delete(name);
        onExpire();
      },
      Math.max(0, ms),
    );
    this.#timers.set(name, timer);
  }

  clear(name: TimerName): void {
    const timer = this.#timers.get(name);
    if (timer) clearTimeout(timer);
    this.#timers.delete(name);
  }

  clearAll(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
