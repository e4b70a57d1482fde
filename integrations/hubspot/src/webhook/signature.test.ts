import { describe, expect, it } from 'vitest';
import { hubspotSignatureHeaders } from '../../test/sign-webhook.js';
import { MAX_SIGNATURE_AGE_MS, verifyHubspotSignature } from './signature.js';

const clientSecret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const url = 'https://hooks.example.com/hubspot/webhooks';
const body =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

describe('verifyHubspotSignature', () => {
  it('accepts the v1 example from HubSpot (sha256 of secret + body, hex)', () => {
    const headers = {
      'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
      'x-hubspot-signature-version': 'v1',
    };
    expect(
      verifyHubspotSignature(
        { method: 'POST', uri: url, body, headers },
        { clientSecret, acceptedVersions: ['v3', 'v1'] },
      ),
    ).toMatchObject({
      ok: true,
      version: 'v1',
      signature: '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
    });
    // Legacy signatures carry no timestamp: off unless a deployment opts in.
    expect(verifyHubspotSignature({ method: 'POST', uri: url, body, headers }, { clientSecret })).toEqual({
      ok: false,
      reason: 'version_not_accepted',
    });
  });

  it('accepts the v2 example from HubSpot (sha256 of secret + method + uri + body, hex)', () => {
    const headers = {
      'x-hubspot-signature': '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900',
      'x-hubspot-signature-version': 'v2',
    };
    const request = {
      method: 'POST',
      uri: 'https://www.example.com/webhook_uri',
      body: '{"example_field":"example_value"}',
      headers,
    };
    expect(verifyHubspotSignature(request, { clientSecret, acceptedVersions: ['v2'] })).toMatchObject({
      ok: true,
      version: 'v2',
    });
    expect(verifyHubspotSignature(request, { clientSecret })).toEqual({
      ok: false,
      reason: 'version_not_accepted',
    });
  });

  it('accepts v3 as signed by @hubspot/api-client, with percent-encodings HubSpot decodes', () => {
    const now = 1_700_000_000_000;
    const signedUrl = 'https://hooks.example.com/hubspot/webhooks?portal=1&tag=a:b';
    const headers = hubspotSignatureHeaders({
      version: 'v3',
      clientSecret,
      method: 'POST',
      url: signedUrl,
      body,
      timestamp: now,
    });
    const received = 'https://hooks.example.com/hubspot/webhooks?portal=1&tag=a%3Ab';
    expect(
      verifyHubspotSignature({ method: 'POST', uri: received, body, headers }, { clientSecret, now }),
    ).toMatchObject({
      ok: true,
      version: 'v3',
      timestamp: now,
    });
  });

  it('rejects forged, tampered, stale, future and unsigned requests', () => {
    const now = 1_700_000_000_000;
    const signed = (overrides: { secret?: string; timestamp?: number } = {}) =>
      hubspotSignatureHeaders({
        version: 'v3',
        clientSecret: overrides.secret ?? clientSecret,
        method: 'POST',
        url,
        body,
        timestamp: overrides.timestamp ?? now,
      });
    const verify = (headers: Record<string, string>, requestBody = body) =>
      verifyHubspotSignature({ method: 'POST', uri: url, body: requestBody, headers }, { clientSecret, now });

    expect(verify(signed({ secret: 'attacker' }))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(signed(), body.replace('123', '124'))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(signed({ timestamp: now - MAX_SIGNATURE_AGE_MS - 1 }))).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verify(signed({ timestamp: now + MAX_SIGNATURE_AGE_MS + 1 }))).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verify(signed({ timestamp: now - MAX_SIGNATURE_AGE_MS + 1000 }))).toMatchObject({ ok: true });
    expect(verify({})).toEqual({ ok: false, reason: 'unsigned' });
    expect(verify({ ...signed(), 'x-hubspot-request-timestamp': 'soon' })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    const truncated = signed();
    truncated['x-hubspot-signature-v3'] = (truncated['x-hubspot-signature-v3'] as string).slice(0, 20);
    expect(verify(truncated)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('lets a present v3 signature decide, so a valid v1 cannot rescue a stale v3 request', () => {
    const now = 1_700_000_000_000;
    const headers = {
      ...hubspotSignatureHeaders({
        version: 'v3',
        clientSecret,
        method: 'POST',
        url,
        body,
        timestamp: now - 10 * 60_000,
      }),
      ...hubspotSignatureHeaders({ version: 'v1', clientSecret, method: 'POST', url, body }),
    };
    expect(
      verifyHubspotSignature({ method: 'POST', uri: url, body, headers }, { clientSecret, now }),
    ).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses legacy schemes a deployment does not accept', () => {
    const headers = hubspotSignatureHeaders({ version: 'v1', clientSecret, method: 'POST', url, body });
    expect(
      verifyHubspotSignature(
        { method: 'POST', uri: url, body, headers },
        { clientSecret, acceptedVersions: ['v3'] },
      ),
    ).toEqual({ ok: false, reason: 'version_not_accepted' });
  });

  it('reports the decoded signature bytes, the same however the header spells them', () => {
    const now = 1_700_000_000_000;
    const headers = hubspotSignatureHeaders({
      version: 'v3',
      clientSecret,
      method: 'POST',
      url,
      body,
      timestamp: now,
    });
    const text = headers['x-hubspot-signature-v3'] as string;
    expect(text.endsWith('=')).toBe(true);
    const verify = (signature: string) =>
      verifyHubspotSignature(
        { method: 'POST', uri: url, body, headers: { ...headers, 'x-hubspot-signature-v3': signature } },
        { clientSecret, now },
      );
    const canonical = verify(text);
    const unpadded = verify(text.replace(/=+$/, ''));
    expect(canonical).toMatchObject({ ok: true, timestamp: now });
    expect(unpadded).toEqual(canonical);
    expect(canonical.ok && canonical.signature).toBe(Buffer.from(text, 'base64').toString('hex'));

    const legacy = hubspotSignatureHeaders({ version: 'v1', clientSecret, method: 'POST', url, body });
    const hex = legacy['x-hubspot-signature'] as string;
    const legacyVerify = (signature: string) =>
      verifyHubspotSignature(
        { method: 'POST', uri: url, body, headers: { ...legacy, 'x-hubspot-signature': signature } },
        { clientSecret, acceptedVersions: ['v1'] },
      );
    expect(legacyVerify(hex.toUpperCase())).toEqual(legacyVerify(hex));
  });
});
