import { Signature } from '@hubspot/api-client';

/**
 * Signs a webhook request the way HubSpot does, using @hubspot/api-client's own Signature helper,
 * so the receiver is checked against an implementation other than its own.
 */
export function hubspotSignatureHeaders(options: {
  version: 'v1' | 'v2' | 'v3';
  clientSecret: string;
  method: string;
  url: string;
  body: string;
  timestamp?: number;
}): Record<string, string> {
  const timestamp = options.timestamp ?? Date.now();
  const signature = Signature.getSignature(options.method, options.version, {
    signature: '',
    clientSecret: options.clientSecret,
    requestBody: options.body,
    url: options.url,
    timestamp,
  });
  if (options.version === 'v3') {
    return { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
  }
  return { 'x-hubspot-signature': signature, 'x-hubspot-signature-version': options.version };
}
