#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { run } from './program.js';

const interrupted = new AbortController();
process.once('SIGINT', () => interrupted.abort(new Error('interrupted')));
process.exitCode = await run(process.argv.slice(2), processIo(interrupted.signal));
