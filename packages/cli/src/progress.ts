import type { Writable } from 'node:stream';
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  tick(): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { tick: () => {}, stop: () => {} };

/** A progress bar on stderr, only for lists and only when stderr is a terminal (never in pipes or CI logs). */
export function startProgress(stderr: Writable & { isTTY?: boolean }, total: number): Progress {
  if (!stderr.isTTY || total < 2) return NO_PROGRESS;
  const bar = new SingleBar(
    {
      stream: stderr,
      format: 'verifying [{bar}] {value}/{total} | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}
