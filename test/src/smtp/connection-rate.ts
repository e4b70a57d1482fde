/** Sliding-window count of sessions per client address. */
export class ConnectionRate {
  readonly #starts = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Count a new connection; false when it is over the limit (refused connections are not counted). */
  admit(clientAddress: string, now: number): boolean {
    const recent = (this.#starts.get(clientAddress) ?? []).filter((start) => start > now - this.#windowMs);
    const admitted = recent.length < this.#limit;
    if (admitted) recent.push(now);
    this.#starts.set(clientAddress, recent);
    return admitted;
  }
}
