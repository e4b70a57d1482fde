import { EngineError } from './errors.js';

/** The error to throw when a caller's signal fires. */
export function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new EngineError('aborted', 'The operation was aborted');
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles like `promise`, or rejects early when `signal` aborts (the work itself goes on). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
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
  const onFirst = () => {
    second.removeEventListener('abort', onSecond);
    linked.abort(first.reason);
  };
  const onSecond = () => {
    first.removeEventListener('abort', onFirst);
    linked.abort(second.reason);
  };
  first.addEventListener('abort', onFirst, { once: true });
  second.addEventListener('abort', onSecond, { once: true });
  return {
    signal: linked.signal,
    unlink: () => {
      first.removeEventListener('abort', onFirst);
      second.removeEventListener('abort', onSecond);
    },
  };
}
