import { MEDIA_TYPES } from '@mailprobe/core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { DEFAULT_RETRY_DELAY_SECONDS } from './constants.js';
import { resolveApiBaseUrl } from './endpoint.js';

/** A problem zod reports: where (`path`) and what. */
interface ContractIssue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

type ContractParseResult<T> =
  | { success: true; data: T }
  | { success: false; error: { issues: ReadonlyArray<ContractIssue> } };

/** The part of a zod schema this app needs: core's contract schemas check every answer. */
export interface ContractSchema<T> {
  safeParse(value: unknown): ContractParseResult<T>;
}

export interface ApiCall<T> {
  method: 'GET' | 'POST' | 'DELETE';
  /** A path of API v1 (`API_PATHS`, `jobPath`), appended to the connection's endpoint URL. */
  path: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  /** The contract schema of a successful answer. */
  schema: ContractSchema<T>;
}

const NETWORK_ERROR_NAMES = new Set(['FetchError', 'AbortError']);

/** The prober's base URL of this connection; a user-facing error when the endpoint URL is unusable. */
export function apiBaseUrl(z: ZObject, bundle: Bundle): string {
  const url = resolveApiBaseUrl(bundle.authData.api_url);
  if (url === null) {
    throw new z.errors.Error(
      `"${bundle.authData.api_url}" is not a usable Mailprobe endpoint URL. Reconnect Mailprobe with an address ` +
        'like https://api.mailprobe.dev, or leave the field empty for the hosted service.',
      'invalid_endpoint_url',
      400,
    );
  }
  return url;
}

function isNetworkError(error: unknown): error is Error {
  return error instanceof Error && NETWORK_ERROR_NAMES.has(error.name);
}

function describeIssue(issues: ReadonlyArray<ContractIssue>): string {
  const [first] = issues;
  if (!first) return 'unreadable answer';
  const field = first.path.map(String).join('.');
  return field ? `${field}: ${first.message}` : first.message;
}

/**
 * Calls API v1 through `z.request`, so Zapier's middleware (the API key, error mapping), logging and
 * throttling apply; checks the answer against core's contract schema. HTTP failures are turned into Zapier
 * errors by `handleApiErrors`; network failures become a ThrottledError so Zapier retries them.
 */
export async function callApi<T>(z: ZObject, bundle: Bundle, call: ApiCall<T>): Promise<T> {
  const baseUrl = apiBaseUrl(z, bundle);
  let data: unknown;
  let status: number;
  try {
    const response = await z.request({
      method: call.method,
      url: `${baseUrl}${call.path}`,
      headers: { Accept: MEDIA_TYPES.json },
      ...(call.params ? { params: call.params } : {}),
      ...(call.body ? { body: call.body } : {}),
    });
    data = response.data;
    status = response.status;
  } catch (error) {
    if (isNetworkError(error)) {
      throw new z.errors.ThrottledError(
        `Could not reach Mailprobe at ${baseUrl} (${error.message}). Zapier will retry in ` +
          `${DEFAULT_RETRY_DELAY_SECONDS} seconds; if this keeps happening, check the endpoint URL of the connection.`,
        DEFAULT_RETRY_DELAY_SECONDS,
      );
    }
    throw error;
  }
  const parsed = call.schema.safeParse(data);
  if (!parsed.success) {
    throw new z.errors.Error(
      `The server at ${baseUrl} did not answer like a Mailprobe prober (${describeIssue(parsed.error.issues)}). ` +
        'Check the endpoint URL of the connection.',
      'invalid_response',
      status,
    );
  }
  return parsed.data;
}
