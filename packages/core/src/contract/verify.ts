import { z } from 'zod';
import { VerificationResultSchema } from '../vocabulary.js';
import { MAX_BATCH_SIZE, MAX_EMAIL_LENGTH } from './limits.js';

export const EmailInputSchema = z.string().max(MAX_EMAIL_LENGTH).describe('An address as given by the user');

/** `POST /v1/verify` body. */
export const VerifyRequestSchema = z
  .object({
    email: EmailInputSchema,
    fresh: z.boolean().optional().describe('Skip the results cache and probe again (default false)'),
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
