// Docker HEALTHCHECK of the mailprobe image: exit 0 when GET /readyz answers 200, else 1.
// Reads MAILPROBE_LISTEN and MAILPROBE_TLS_CERT as `mailprobe serve` does; a wildcard listen address is asked
// on loopback, and a TLS listener's certificate is not checked (it names the public host, not loopback).
import http from 'node:http';
import https from 'node:https';

const TIMEOUT_MS = 4000;
const listen = process.env.MAILPROBE_LISTEN || '127.0.0.1:8025';
const separator = listen.lastIndexOf(':');
let host = listen.slice(0, separator).replace(/^\[(.*)\]$/, '$1');
if (host === '0.0.0.0') host = '127.0.0.1';
if (host === '::') host = '::1';
const tls = Boolean(process.env.MAILPROBE_TLS_CERT);
const request = (tls ? https : http).get(
  {
    host,
    port: Number(listen.slice(separator + 1)),
    path: '/readyz',
    timeout: TIMEOUT_MS,
    rejectUnauthorized: false,
  },
  (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  },
);
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', () => process.exit(1));
