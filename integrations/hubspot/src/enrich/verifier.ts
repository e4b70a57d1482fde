import type { ProberClient } from '@mailprobe/core';

/** The part of @mailprobe/core's prober client the enricher needs. */
export type Verifier = Pick<ProberClient, 'verifyBatch'>;
