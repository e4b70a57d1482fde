/** Greylisting by (client ip, sender, recipient) triple: refuse until `delayMs` after the first attempt. */
export class Greylist {
  readonly #firstSeen = new Map<string, number>();
  readonly #delayMs: number;

  constructor(delayMs: number) {
    this.#delayMs = delayMs;
  }

  /** null when the triple may pass now, else the seconds left to wait (at least 1). */
  check(clientAddress: string, sender: string, recipient: string, now: number): number | null {
    const key = JSON.stringify([clientAddress, sender.toLowerCase(), recipient.toLowerCase()]);
    const firstSeen = this.#firstSeen.get(key);
    if (firstSeen === undefined) {
      this.#firstSeen.set(key, now);
      return Math.max(1, Math.ceil(this.#delayMs / 1000));
    }
    const waitMs = firstSeen + this.#delayMs - now;
    return waitMs <= 0 ? null : Math.max(1, Math.ceil(waitMs / 1000));
  }
}
