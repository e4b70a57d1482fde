import { abortError, onAbort } from '../abort.js';

/** Releases a slot; calling it again does nothing. */
export type Release = () => void;

/** A counting semaphore with a FIFO queue; waiting is cancelled by an AbortSignal. */
export class Semaphore {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: Array<{ grant: () => void }> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.#active < this.#limit) {
      this.#active += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter = {
        grant: () => {
          forget?.();
          resolve(this.#releaser());
        },
      };
      const forget = signal
        ? onAbort(signal, () => {
            const position = this.#waiting.indexOf(waiter);
            if (position >= 0) this.#waiting.splice(position, 1);
            reject(abortError(signal));
          })
        : undefined;
      this.#waiting.push(waiter);
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next.grant();
      else this.#active -= 1;
    };
  }
}
