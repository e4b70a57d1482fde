import type { Writable } from 'node:stream';
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  tick(): void;
  /** Sets how many are done (a remote job reports its count). */
  update(done: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { tick: () => {}, update: () => {}, stop: () => {} };

/** A progress bar on stderr, only for lists and only when stderr is a terminal (never in pipes or CI logs). */
export function startProgress(
  stderr: Writable & { isTTY?: boolean },
  total: number,
  label = 'verifying',
): Progress {
  if (!stderr.isTTY || total < 2) return NO_PROGRESS;
  const bar = new SingleBar(
    {
      stream: stderr,
      format: `${label} [{bar}] {value}/{total} | {eta_formatted} left`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), update: (done) => bar.update(done), stop: () => bar.stop() };
}
