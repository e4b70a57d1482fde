// What the prober e2e tests (and the upload measurement) do over a node's HTTP API, written once.
import { type ClientRequest, request } from 'node:http';
import type { VerificationResult } from '@mailprobe/core';
import { createApiKey, openStores } from '../../../packages/prober/src/index.js';
import type { FakeInternet } from '../index.js';

const COMPLETION_POLL_MS = 100;

export interface JobState {
  status: string;
  done: number;
  total: number;
  counts: Record<string, number>;
}

export interface UploadAnswer {
  status: number;
  body: string;
}

/** Creates an API key directly in the store the nodes will share, before any node runs. */
export async function createKeyInStore(
  location: Parameters<typeof openStores>[0],
  name: string,
): Promise<string> {
  const stores = await openStores(location);
  const { key } = await createApiKey(stores.keys, name);
  await stores.close();
  return key;
}

/** The MAILPROBE_* variables that point a node's engine at the fake internet. */
export function fakeInternetEnv(internet: FakeInternet): Record<string, string> {
  return {
    MAILPROBE_DNS_SERVERS: internet.engineOptions.dnsServers.join(','),
    MAILPROBE_PORTS: String(internet.port),
    MAILPROBE_FALLBACK_PORTS: '',
    MAILPROBE_ALLOW_PRIVATE_TARGETS: '1',
  };
}

/** `GET /v1/jobs/:id`. */
export async function jobState(url: string, key: string, id: string): Promise<JobState> {
  const response = await fetch(`${url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } });
  return (await response.json()) as JobState;
}

/** Polls the job until it is completed or `timeoutMs` has passed, and returns the last state seen. */
export async function waitForCompletion(
  url: string,
  key: string,
  id: string,
  timeoutMs: number,
): Promise<JobState> {
  let state = await jobState(url, key, id);
  const deadline = Date.now() + timeoutMs;
  while (state.status !== 'completed' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, COMPLETION_POLL_MS));
    state = await jobState(url, key, id);
  }
  return state;
}

/** `GET /v1/jobs/:id/results` (NDJSON), parsed. */
export async function jobResults(url: string, key: string, id: string): Promise<VerificationResult[]> {
  const response = await fetch(`${url}/v1/jobs/${id}/results`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as VerificationResult);
}

/**
 * `POST /v1/jobs` with a JSON body the caller writes into `outgoing` (piece by piece, or piped); `answer`
 * resolves with the status and body, or rejects when the request fails.
 */
export function startJobUpload(
  url: string,
  key: string,
): { outgoing: ClientRequest; answer: Promise<UploadAnswer> } {
  let outgoing: ClientRequest | undefined;
  const answer = new Promise<UploadAnswer>((resolve, reject) => {
    outgoing = request(
      `${url}/v1/jobs`,
      { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => {
          body += text;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on('error', reject);
  });
  return { outgoing: outgoing as ClientRequest, answer };
}
