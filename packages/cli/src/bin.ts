#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { run } from './program.js';

const interrupted = new AbortController();
process.once('SIGINT', () => interrupted.abort(new Error('interrupted')));
// `run` stops when stdout's reader goes away (`| head`); a write error that surfaces after it finished means
// the same and must not end in a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
process.exitCode = await run(process.argv.slice(2), processIo(interrupted.signal));
