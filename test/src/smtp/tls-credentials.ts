import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import selfsigned from 'selfsigned';

export interface TlsCredentials {
  key: string;
  cert: string;
}

const RSA_MODULUS_BITS = 2048;
const CERTIFICATE_VALIDITY_DAYS = 3650;
const CERTIFICATE_COMMON_NAME = 'fake-mx.mailprobe.test';

let credentials: Promise<TlsCredentials> | undefined;

async function createCredentials(): Promise<TlsCredentials> {
  // Native key generation takes milliseconds; node-forge's pure-JS one takes about a second.
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: RSA_MODULUS_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const options = {
    days: CERTIFICATE_VALIDITY_DAYS,
    algorithm: 'sha256',
    keyPair: { privateKey, publicKey },
  };
  const generated = selfsigned.generate([{ name: 'commonName', value: CERTIFICATE_COMMON_NAME }], options);
  return { key: generated.private, cert: generated.cert };
}

/** One self-signed certificate per process, made on first use and shared by every fake server. */
export function selfSignedCredentials(): Promise<TlsCredentials> {
  credentials ??= createCredentials();
  return credentials;
}
