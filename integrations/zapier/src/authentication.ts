import { API_PATHS, type MeResponse, MeResponseSchema } from '@mailprobe/core';
import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { apiBaseUrl, callApi } from './api.js';
import { DEFAULT_API_URL } from './constants.js';

/** The connection test: `GET /v1/me` answers who the key belongs to (a bad key fails in the middleware). */
export function testConnection(z: ZObject, bundle: Bundle): Promise<MeResponse> {
  return callApi(z, bundle, { method: 'GET', path: API_PATHS.me, schema: MeResponseSchema });
}

/** "Acme CRM sync", plus the prober's host when the connection uses a self-hosted endpoint. */
export async function connectionLabel(z: ZObject, bundle: Bundle<Partial<MeResponse>>): Promise<string> {
  const accountName = bundle.inputData.accountName ?? 'Mailprobe';
  const baseUrl = apiBaseUrl(z, bundle);
  return baseUrl === DEFAULT_API_URL ? accountName : `${accountName} (${new URL(baseUrl).host})`;
}

export const authentication = {
  type: 'custom',
  fields: [
    {
      key: 'api_key',
      label: 'API Key',
      type: 'password',
      required: true,
      helpText:
        'Your Mailprobe API key. Find it in your Mailprobe account, or ask whoever runs your Mailprobe prober ' +
        '(`mailprobe keys create --name zapier`).',
    },
    {
      key: 'api_url',
      label: 'Mailprobe Endpoint URL',
      type: 'string',
      required: false,
      default: DEFAULT_API_URL,
      helpText: `Leave as ${DEFAULT_API_URL} for the hosted service; change it only if your company runs its own Mailprobe prober.`,
    },
  ],
  test: testConnection,
  connectionLabel,
} satisfies Authentication;
