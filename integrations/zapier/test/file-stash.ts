// Where `z.stashFile` puts files in tests: zapier-platform-core asks Zapier's RPC (`<ZAPIER_BASE_ENDPOINT>/platform/
// rpc/cli`, with `X-Deploy-Key`) for presigned S3 POST data, then POSTs the file as multipart/form-data to that URL
// and expects 204. This server on loopback plays both parts as S3 documents them: the policy is signed (HMAC) and
// checked, every policy field must come back unchanged, the `file` part must be the last one, its size must fit
// the policy's content-length-range. Stashed files are then served back with their content type and name.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Busboy, type BusboyInstance } from '@fastify/busboy';

/** Zapier's limit for a streamed stash (zapier-platform-core `UPLOAD_MAX_SIZE`, 1 GiB); tests stay far below. */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
const RPC_PATH = '/platform/rpc/cli';
const UPLOAD_PATH = '/stash/';
const POLICY_LIFETIME_MS = 60_000;

export interface StashedFile {
  key: string;
  filename: string | null;
  contentType: string;
  contentDisposition: string;
  body: Buffer;
}

export interface FileStash {
  /** Value for ZAPIER_BASE_ENDPOINT: zapier-platform-core calls `${baseUrl}/platform/rpc/cli`. */
  baseUrl: string;
  /** Value for ZAPIER_DEPLOY_KEY; the RPC refuses other keys. */
  deployKey: string;
  /** Files stored, by the URL `z.stashFile` answered. */
  files: Map<string, StashedFile>;
  /** RPC methods called, in order. */
  rpcCalls: string[];
  close(): Promise<void>;
}

interface Policy {
  expiration: string;
  key: string;
  maxBytes: number;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function s3Error(response: ServerResponse, status: number, code: string, message: string): void {
  response
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFileStash(): Promise<FileStash> {
  const deployKey = `deploy_${randomBytes(12).toString('hex')}`;
  const signingKey = randomBytes(32);
  const files = new Map<string, StashedFile>();
  const rpcCalls: string[] = [];
  let baseUrl = '';

  const sign = (policy: string) => createHmac('sha256', signingKey).update(policy).digest('hex');

  async function rpc(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers['x-deploy-key'] !== deployKey) {
      sendJson(response, 401, { error: 'bad deploy key' });
      return;
    }
    const call = JSON.parse(await readBody(request)) as { id?: string; method?: string };
    rpcCalls.push(String(call.method));
    if (call.method !== 'get_presigned_upload_post_data') {
      sendJson(response, 200, { id: call.id, error: `unknown method ${call.method}` });
      return;
    }
    const key = `cli-platform/${randomBytes(8).toString('hex')}`;
    const policy: Policy = {
      expiration: new Date(Date.now() + POLICY_LIFETIME_MS).toISOString(),
      key,
      maxBytes: MAX_FILE_BYTES,
    };
    const encoded = Buffer.from(JSON.stringify(policy)).toString('base64');
    sendJson(response, 200, {
      id: call.id,
      result: {
        url: `${baseUrl}${UPLOAD_PATH}`,
        fields: {
          key,
          policy: encoded,
          'x-amz-algorithm': 'AWS4-HMAC-SHA256',
          'x-amz-signature': sign(encoded),
        },
      },
    });
  }

  function upload(request: IncomingMessage, response: ServerResponse): void {
    const fields = new Map<string, string>();
    let file: { filename: string; mimeType: string; chunks: Buffer[]; size: number } | null = null;
    let fieldAfterFile = false;
    let parser: BusboyInstance;
    try {
      parser = new Busboy({ headers: request.headers as { 'content-type': string } });
    } catch {
      s3Error(
        response,
        412,
        'PreconditionFailed',
        'Bucket POST must be of the enclosure-type multipart/form-data',
      );
      return;
    }
    parser.on('field', (name, value) => {
      if (file) fieldAfterFile = true;
      fields.set(name, value);
    });
    parser.on('file', (_name, stream, filename, _encoding, mimeType) => {
      const current = { filename, mimeType, chunks: [] as Buffer[], size: 0 };
      file = current;
      stream.on('data', (chunk: Buffer) => {
        current.chunks.push(chunk);
        current.size += chunk.length;
      });
    });
    parser.on('error', () => s3Error(response, 400, 'MalformedPOSTRequest', 'The body is not well-formed'));
    parser.on('finish', () => {
      const policyText = fields.get('policy') ?? '';
      const signature = Buffer.from(fields.get('x-amz-signature') ?? '', 'utf8');
      const expected = Buffer.from(sign(policyText), 'utf8');
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        s3Error(response, 403, 'SignatureDoesNotMatch', 'The policy signature does not match');
        return;
      }
      const policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as Policy;
      if (Date.parse(policy.expiration) < Date.now()) {
        s3Error(response, 403, 'AccessDenied', 'Invalid according to Policy: Policy expired');
        return;
      }
      if (fields.get('key') !== policy.key) {
        s3Error(response, 403, 'AccessDenied', 'Invalid according to Policy: key');
        return;
      }
      if (!file || fieldAfterFile) {
        s3Error(response, 400, 'InvalidArgument', 'POST requires exactly one file upload, as the last field');
        return;
      }
      const uploaded = file as { filename: string; mimeType: string; chunks: Buffer[]; size: number };
      if (uploaded.size > policy.maxBytes) {
        s3Error(response, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
        return;
      }
      const url = new URL(policy.key, `${baseUrl}${UPLOAD_PATH}`).href;
      files.set(url, {
        key: policy.key,
        filename: uploaded.filename || null,
        contentType: fields.get('Content-Type') ?? uploaded.mimeType,
        contentDisposition: fields.get('Content-Disposition') ?? '',
        body: Buffer.concat(uploaded.chunks),
      });
      response.writeHead(204).end();
    });
    request.pipe(parser);
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', baseUrl);
    if (request.method === 'POST' && url.pathname === RPC_PATH) {
      rpc(request, response).catch(() => sendJson(response, 500, { error: 'rpc failed' }));
      return;
    }
    if (request.method === 'POST' && url.pathname === UPLOAD_PATH) {
      upload(request, response);
      return;
    }
    const stored = request.method === 'GET' ? files.get(url.href) : undefined;
    if (stored) {
      response
        .writeHead(200, {
          'content-type': stored.contentType,
          'content-disposition': stored.contentDisposition,
          'content-length': String(stored.body.length),
        })
        .end(stored.body);
      return;
    }
    s3Error(response, 404, 'NoSuchKey', 'The specified key does not exist.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    deployKey,
    files,
    rpcCalls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
