import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Longest stretch of work between two turns of the event loop. Awaiting promises that are already resolved (a
 * fast upload, the embedded store) never lets timers or sockets run, so long loops hand the loop back this often.
 */
export const WORK_SLICE_MS = 20;

/** Hands the event loop back (one `setImmediate`) once `sliceMs` of work has run since the last turn. */
export class EventLoopTurn {
  private last = performance.now();

  constructor(private readonly sliceMs = WORK_SLICE_MS) {}

  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.last < this.sliceMs) return;
    await nextTurn();
    this.last = performance.now();
  }
}
