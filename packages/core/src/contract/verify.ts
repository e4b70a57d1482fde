import { z } from 'zod';
import { VerificationResultSchema } from '../vocabulary.js';
import {
  DEFAULT_VERIFY_TIMEOUT_MS,
  MAX_BATCH_SIZE,
  MAX_EMAIL_LENGTH,
  MAX_TIMEOUT_MS,
  MIN_TIMEOUT_MS,
} from './limits.js';

export const EmailInputSchema = z.string().max(MAX_EMAIL_LENGTH).describe('An address as given by the user');

/**
 * Time budget of `POST /v1/verify` and `/v1/verify/batch`, in ms: what is not finished by then is answered UNKNOWN
 * `timeout` while its probe goes on in the background and its result lands in the cache (so the same call a
 * little later gets the real verdict).
 */
export const TimeoutMsSchema = z
  .int()
  .min(MIN_TIMEOUT_MS)
  .max(MAX_TIMEOUT_MS)
  .describe(
    `Answer within this many ms (default ${DEFAULT_VERIFY_TIMEOUT_MS}); unfinished addresses come back UNKNOWN ` +
      '`timeout` and their probe finishes in the background into the cache',
  );

/** `POST /v1/verify` body. */
export const VerifyRequestSchema = z
  .object({
    email: EmailInputSchema,
    fresh: z
      .boolean()
      .optional()
      .describe('Skip the results cache and probe again (default false); still counts against the quota'),
    timeoutMs: TimeoutMsSchema.optional(),
  })
  .describe('Verify one address');
export type VerifyRequest = z.infer<typeof VerifyRequestSchema>;

/** `POST /v1/verify` answer. */
export const VerifyResponseSchema = VerificationResultSchema;
export type VerifyResponse = z.infer<typeof VerifyResponseSchema>;

/** `POST /v1/verify/batch` body. */
export const BatchRequestSchema = z
  .object({
    emails: z.array(EmailInputSchema).min(1).max(MAX_BATCH_SIZE),
    fresh: z
      .boolean()
      .optional()
      .describe(
        'Skip the results cache and probe every address again (default false); still counts against the quota',
      ),
    timeoutMs: TimeoutMsSchema.optional(),
  })
  .describe(`Verify up to ${MAX_BATCH_SIZE} addresses at once`);
export type BatchRequest = z.infer<typeof BatchRequestSchema>;

/** `POST /v1/verify/batch` answer: one result per input, in input order. */
export const BatchResponseSchema = z
  .object({
    results: z.array(VerificationResultSchema).describe('Results in the order of `emails`'),
  })
  .describe('Batch results');
export type BatchResponse = z.infer<typeof BatchResponseSchema>;
