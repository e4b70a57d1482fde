import type { Socket } from 'node:net';
import type { TimerSet } from './timer-set.js';

/** One thing the server does to the connection, in order. */
export type Output =
  | { kind: 'write'; text: string | Buffer }
  | { kind: 'starttls' }
  | { kind: 'end' }
  | { kind: 'destroy' };

/**
 * Performs outputs in order on the session's current socket. In drip mode every byte waits `dripIntervalMs`
 * after the previous one, and later outputs wait for the drip to finish.
 */
export class Outbox {
  readonly #queue: Output[] = [];
  readonly #socket: () => Socket;
  readonly #timers: TimerSet;
  readonly #dripIntervalMs: number | null;
  readonly #startTls: () => void;
  readonly #finish: () => void;
  #dripping = false;

  constructor(options: {
    socket: () => Socket;
    timers: TimerSet;
    dripIntervalMs: number | null;
    startTls: () => void;
    /** Called when the server ends or drops the connection. */
    finish: () => void;
  }) {
    this.#socket = options.socket;
    this.#timers = options.timers;
    this.#dripIntervalMs = options.dripIntervalMs;
    this.#startTls = options.startTls;
    this.#finish = options.finish;
  }

  /** Queue outputs; adjacent writes are joined so a pipelined group of replies leaves in one segment. */
  send(outputs: readonly Output[]): void {
    for (const output of outputs) {
      const last = this.#queue.at(-1);
      if (output.kind === 'write' && last?.kind === 'write') {
        last.text = Buffer.concat([Buffer.from(last.text), Buffer.from(output.text)]);
      } else {
        this.#queue.push({ ...output });
      }
    }
    this.#pump();
  }

  #pump(): void {
    while (!this.#dripping) {
      const output = this.#queue.shift();
      if (output === undefined) return;
      const socket = this.#socket();
      if (socket.destroyed) {
        this.#queue.length = 0;
        return;
      }
      switch (output.kind) {
        case 'write':
          if (this.#dripIntervalMs === null) socket.write(output.text);
          else this.#drip(Buffer.from(output.text), this.#dripIntervalMs);
          break;
        case 'starttls':
          this.#startTls();
          break;
        case 'end':
          socket.end();
          this.#finish();
          break;
        case 'destroy':
          socket.destroy();
          this.#finish();
          break;
      }
    }
  }

  #drip(bytes: Buffer, intervalMs: number): void {
    this.#dripping = true;
    let offset = 0;
    const next = () => {
      const socket = this.#socket();
      if (socket.destroyed) return;
      socket.write(bytes.subarray(offset, offset + 1));
      offset += 1;
      if (offset < bytes.length) {
        this.#timers.after(intervalMs, next);
        return;
      }
      this.#dripping = false;
      this.#timers.after(intervalMs, () => this.#pump());
    };
    next();
  }
}
