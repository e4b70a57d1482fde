export { CliUsageError, EXIT_CODES } from './cli-errors.js';
export type { CliIo } from './cli-io.js';
export { processIo } from './cli-io.js';
export type { EngineFlagValues } from './engine-flags.js';
export { addEngineFlags } from './engine-flags.js';
export { engineOptionsFrom } from './engine-options.js';
export type { OutputFormat } from './output-format.js';
export { OUTPUT_FORMATS } from './output-format.js';
export { run } from './program.js';
