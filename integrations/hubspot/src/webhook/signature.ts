import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureVersion = 'v1' | 'v2' | 'v3';

/** HubSpot rejects nothing older; neither do we accept anything older (or further in the future). */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

export const SIGNATURE_HEADERS = {
  v3: 'x-hubspot-signature-v3',
  timestamp: 'x-hubspot-request-timestamp',
  legacy: 'x-hubspot-signature',
  legacyVersion: 'x-hubspot-signature-version',
} as const;

export interface SignedRequest {
  method: string;
  /** The full URL HubSpot called: scheme, host, path and query. */
  uri: string;
  /** The raw body, exactly as received. */
  body: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
}

/** Only v3 carries a timestamp; v1/v2 are replayable forever and need an explicit opt-in. */
export const DEFAULT_SIGNATURE_VERSIONS: readonly SignatureVersion[] = ['v3'];

export type SignatureVerdict =
  | {
      ok: true;
      version: SignatureVersion;
      /**
       * The decoded signature bytes as lower-case hex: one value however the header text spelled them
       * (base64 padding, hex case), so a replay guard keyed on it cannot be dodged by re-encoding.
       */
      signature: string;
      timestamp: number | null;
    }
  | { ok: false; reason: 'unsigned' | 'version_not_accepted' | 'stale' | 'malformed' | 'mismatch' };

export interface VerifyOptions {
  clientSecret: string;
  now?: number;
  maxAgeMs?: number;
  /** Which schemes to accept (default v3 only); v1/v2 carry no timestamp and are accepted only when listed. */
  acceptedVersions?: readonly SignatureVersion[];
}

// HubSpot signs the URI with these percent-encodings decoded (its docs list them; '?' stays as sent).
const DECODED_IN_URI: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** Checks a webhook request's HubSpot signature (v3 when present, else the legacy v2/v1 header). */
export function verifyHubspotSignature(request: SignedRequest, options: VerifyOptions): SignatureVerdict {
  const accepted = options.acceptedVersions ?? DEFAULT_SIGNATURE_VERSIONS;
  const now = options.now ?? Date.now();
  const v3 = header(request.headers, SIGNATURE_HEADERS.v3);
  // When a v3 signature is present it alone decides: falling back to v1/v2 would let a replayer
  // strip the timestamped signature and keep the replayable one.
  if (v3 !== undefined) {
    if (!accepted.includes('v3')) return { ok: false, reason: 'version_not_accepted' };
    const timestampText = header(request.headers, SIGNATURE_HEADERS.timestamp);
    if (timestampText === undefined || !/^\d{1,16}$/.test(timestampText))
      return { ok: false, reason: 'malformed' };
    const timestamp = Number(timestampText);
    if (Math.abs(now - timestamp) > (options.maxAgeMs ?? MAX_SIGNATURE_AGE_MS))
      return { ok: false, reason: 'stale' };
    const source = `${request.method.toUpperCase()}${decodeUri(request.uri)}${request.body}${timestampText}`;
    const expected = createHmac('sha256', options.clientSecret).update(source, 'utf8').digest();
    const given = Buffer.from(v3, 'base64');
    return sameBytes(expected, given, v3, 'base64')
      ? { ok: true, version: 'v3', signature: given.toString('hex'), timestamp }
      : { ok: false, reason: 'mismatch' };
  }
  const legacy = header(request.headers, SIGNATURE_HEADERS.legacy);
  if (legacy === undefined) return { ok: false, reason: 'unsigned' };
  const version = (header(request.headers, SIGNATURE_HEADERS.legacyVersion) ?? 'v1').toLowerCase();
  if (version !== 'v1' && version !== 'v2') return { ok: false, reason: 'malformed' };
  if (!accepted.includes(version)) return { ok: false, reason: 'version_not_accepted' };
  const source =
    version === 'v2'
      ? `${options.clientSecret}${request.method.toUpperCase()}${request.uri}${request.body}`
      : `${options.clientSecret}${request.body}`;
  const expected = createHash('sha256').update(source, 'utf8').digest();
  const given = Buffer.from(legacy, 'hex');
  return sameBytes(expected, given, legacy, 'hex')
    ? { ok: true, version, signature: given.toString('hex'), timestamp: null }
    : { ok: false, reason: 'mismatch' };
}

/**
 * The legacy signature a request carries, canonical (lower-case hex of its bytes), whether or not it is checked:
 * a v3-signed delivery's v1/v2 header is spent with it. Null when there is none or it is not hex.
 */
export function legacySignatureOf(
  headers: SignedRequest['headers'],
): { version: 'v1' | 'v2'; signature: string } | null {
  const legacy = header(headers, SIGNATURE_HEADERS.legacy);
  if (legacy === undefined) return null;
  const version = (header(headers, SIGNATURE_HEADERS.legacyVersion) ?? 'v1').toLowerCase();
  if (version !== 'v1' && version !== 'v2') return null;
  const signature = Buffer.from(legacy, 'hex').toString('hex');
  return signature === '' ? null : { version, signature };
}

function decodeUri(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (match) => DECODED_IN_URI[match.toUpperCase()] ?? match,
  );
}

/** Constant-time comparison; also refuses text that did not decode cleanly (Buffer.from drops bad characters). */
function sameBytes(expected: Buffer, given: Buffer, text: string, encoding: 'base64' | 'hex'): boolean {
  const canonical = given.toString(encoding);
  const textMatches =
    encoding === 'hex'
      ? canonical === text.toLowerCase()
      : canonical.replace(/=+$/, '') === text.replace(/=+$/, '');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(expected, given) && textMatches;
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === '' ? undefined : single;
}
