import { EngineError } from './errors.js';

/** The error to throw when a caller's signal fires. */
export function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new EngineError('aborted', 'The operation was aborted');
}

const callbacksOf = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once when `signal` aborts (like an `abort` listener with `once`), and returns the call that
 * forgets it. One listener on each signal serves all its callbacks: EventTarget's `addEventListener` and
 * `removeEventListener` walk the signal's whole listener list, and every chunk of a list waits on that list's one
 * signal, so thousands of waits made each of those calls cost as much as the wait's other work. Callbacks run in
 * the order they were added; one that throws does not stop the others (its error is rethrown, as EventTarget does).
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = callbacksOf.get(signal);
  if (!callbacks) {
    const registered = new Set<() => void>();
    callbacks = registered;
    callbacksOf.set(signal, registered);
    signal.addEventListener(
      'abort',
      () => {
        const due = [...registered];
        registered.clear();
        for (const callback of due) {
          try {
            callback();
          } catch (error) {
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      },
      { once: true },
    );
  }
  const registered = callbacks;
  registered.add(callback);
  return () => {
    registered.delete(callback);
  };
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      forget?.();
      resolve();
    }, ms);
    const forget = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(abortError(signal));
        })
      : undefined;
  });
}

/** Settles like `promise`, or rejects early when `signal` aborts (the work itself goes on). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const forget = onAbort(signal, () => reject(abortError(signal)));
    promise.then(
      (value) => {
        forget();
        resolve(value);
      },
      (error: unknown) => {
        forget();
        reject(error);
      },
    );
  });
}

/**
 * A signal that aborts when either `first` or `second` does, and the call that detaches it. Cheaper than
 * `AbortSignal.any`, whose dependants stay tracked (weakly) by each source until collected: thousands of
 * short-lived requests on one long-lived signal make that a cost of its own.
 */
export function linkSignals(
  first: AbortSignal,
  second: AbortSignal,
): { signal: AbortSignal; unlink: () => void } {
  if (first.aborted) return { signal: first, unlink: () => {} };
  if (second.aborted) return { signal: second, unlink: () => {} };
  const linked = new AbortController();
  const forgetFirst = onAbort(first, () => {
    forgetSecond();
    linked.abort(first.reason);
  });
  const forgetSecond = onAbort(second, () => {
    forgetFirst();
    linked.abort(second.reason);
  });
  return {
    signal: linked.signal,
    unlink: () => {
      forgetFirst();
      forgetSecond();
    },
  };
}
