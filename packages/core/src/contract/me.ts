import { z } from 'zod';

export const LimitsSchema = z.object({
  requestsPerMinute: z
    .int()
    .positive()
    .nullable()
    .describe('Requests allowed per minute for this key; null = unlimited'),
  quota: z
    .int()
    .nonnegative()
    .nullable()
    .describe('Verifications allowed in total for this key; null = unlimited'),
  used: z.int().nonnegative().describe('Verifications counted against the quota so far'),
});
export type Limits = z.infer<typeof LimitsSchema>;

/** `GET /v1/me`: who the key belongs to and what it may do. */
export const MeResponseSchema = z
  .object({
    accountName: z.string().describe('Name given to the key when it was created'),
    keyId: z.string().describe('Public id of the key (never the key itself)'),
    limits: LimitsSchema,
  })
  .describe('The account behind the API key');
export type MeResponse = z.infer<typeof MeResponseSchema>;
