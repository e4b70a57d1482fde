export { run } from './program.js';
export { processIo } from './cli-io.js';
export type { CliIo } from './cli-io.js';
export { CliUsageError, EXIT_CODES } from './cli-errors.js';
export { addEngineFlags, engineOptionsFrom } from './engine-flags.js';
export type { EngineFlagValues } from './engine-flags.js';
export { OUTPUT_FORMATS } from './output-format.js';
export type { OutputFormat } from './output-format.js';
