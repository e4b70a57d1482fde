import { API_HEADERS } from '@mailprobe/core';
import type { AfterResponseMiddleware, BeforeRequestMiddleware, ZObject } from 'zapier-platform-core';
import { type ApiFailure, classifyApiFailure } from './api-failure.js';
import { isProberUrl, resolveApiBaseUrl } from './endpoint.js';

const FIRST_ERROR_STATUS = 400;

/** Adds `Authorization: Bearer <api_key>` to requests bound for the connection's prober, and to no other host. */
export const addApiKey: BeforeRequestMiddleware = (request, _z, bundle) => {
  const apiKey = bundle.authData.api_key;
  const baseUrl = resolveApiBaseUrl(bundle.authData.api_url);
  if (apiKey && baseUrl !== null && isProberUrl(request.url, baseUrl)) {
    request.headers = { ...request.headers, Authorization: `Bearer ${apiKey}` };
  }
  return request;
};

function toZapierError(z: ZObject, failure: ApiFailure): Error {
  switch (failure.kind) {
    case 'auth':
      return new z.errors.ExpiredAuthError(failure.message);
    case 'retry':
      return new z.errors.ThrottledError(failure.message, failure.delaySeconds);
    case 'fail':
      return new z.errors.Error(failure.message, failure.code, failure.status);
  }
}

/**
 * Turns the prober's error answers into errors a Zap owner can act on: 401/403 → reconnect (ExpiredAuthError),
 * 429 rate_limited and 5xx → ThrottledError honouring Retry-After, quota_exceeded and other 4xx → the API's
 * message. The app sets `throwForThrottlingEarly: false` so a 429 reaches this function: Zapier's built-in
 * handling would retry quota_exceeded too, which cannot succeed.
 */
export const handleApiErrors: AfterResponseMiddleware = (response, z) => {
  if (response.status < FIRST_ERROR_STATUS || response.skipThrowForStatus) return response;
  throw toZapierError(
    z,
    classifyApiFailure(response.status, response.data, response.getHeader(API_HEADERS.retryAfter)),
  );
};
