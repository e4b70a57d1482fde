import type { Readable } from 'node:stream';
import {
  AddressColumnSelectorSchema,
  CallbackUrlSchema,
  type CreateJobQuery,
  MAX_FILE_NAME_LENGTH,
  MEDIA_TYPES,
} from '@mailprobe/core';
import type { FastifyRequest } from 'fastify';
import { ProberError } from '../errors.js';
import type { CreateJobInput, JobUpload, UploadKind } from '../jobs/create-job.js';

/** Most multipart fields accepted besides the file (`column`, `callbackUrl`, and room for a form's extras). */
export const MAX_MULTIPART_FIELDS = 20;
/** Longest multipart boundary accepted (RFC 2046 allows 70; some clients use more). */
const MAX_MULTIPART_BOUNDARY = 256;
const BOUNDARY = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i;

/** What an upload is made of, by media type; null for a type jobs cannot be made from. */
function uploadKind(type: string | undefined): UploadKind | 'multipart' | null {
  const bare = type?.split(';')[0]?.trim().toLowerCase();
  if (bare === MEDIA_TYPES.json) return 'json';
  if (bare === MEDIA_TYPES.xlsx || bare === MEDIA_TYPES.ods) return 'xlsx';
  if (bare === MEDIA_TYPES.csv) return 'csv';
  if (bare === MEDIA_TYPES.ndjson) return 'ndjson';
  if (bare === MEDIA_TYPES.multipart) return 'multipart';
  return null;
}

/** A multipart file is a spreadsheet or NDJSON by its name or type, CSV otherwise (curl and browsers often say octet-stream). */
function fileKind(filename: string, mimetype: string): 'csv' | 'ndjson' | 'xlsx' {
  const name = filename.toLowerCase();
  const type = mimetype.split(';')[0]?.trim().toLowerCase();
  if (
    name.endsWith('.xlsx') ||
    name.endsWith('.ods') ||
    type === MEDIA_TYPES.xlsx ||
    type === MEDIA_TYPES.ods
  )
    return 'xlsx';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl') || type === MEDIA_TYPES.ndjson) return 'ndjson';
  return 'csv';
}

/** The file and fields of a multipart upload: fields before the file are read, then the file is handed over. */
async function multipartUpload(request: FastifyRequest): Promise<{
  fields: Record<string, string>;
  file: (JobUpload & { fileName: string }) | null;
}> {
  const match = BOUNDARY.exec(request.headers['content-type'] ?? '');
  const boundary = match?.[1] ?? match?.[2] ?? '';
  if (boundary.length === 0 || boundary.length > MAX_MULTIPART_BOUNDARY) {
    throw new ProberError(
      'bad_request',
      `content-type: a multipart upload needs a boundary of 1 to ${MAX_MULTIPART_BOUNDARY} characters`,
      400,
    );
  }
  const fields: Record<string, string> = {};
  // Whatever follows the file (more fields, more files) is never read: the body watch drains or closes it.
  const parts = request.parts()[Symbol.asyncIterator]();
  for (;;) {
    const next = await parts.next();
    if (next.done) return { fields, file: null };
    const part = next.value;
    if (part.type === 'field') {
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      continue;
    }
    return {
      fields,
      file: { kind: fileKind(part.filename, part.mimetype), stream: part.file, fileName: part.filename },
    };
  }
}

/** A multipart field checked like the query parameter of the same name. */
function formField<T>(
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } };
  },
  name: string,
  value: string | undefined,
): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ProberError('bad_request', `body.${name}: ${parsed.error.issues[0]?.message}`, 400);
  return parsed.data;
}

/**
 * The upload of `POST /v1/jobs` and its options: a raw body (JSON, CSV, NDJSON, spreadsheet) with the query string's
 * options, or a multipart form whose fields before the file override them.
 */
export async function readJobUpload(
  request: FastifyRequest,
  query: CreateJobQuery,
): Promise<
  Pick<CreateJobInput, 'upload' | 'column' | 'sheet' | 'fileName' | 'callbackUrl' | 'callbackField'>
> {
  const read = {
    column: query.column,
    sheet: query.sheet,
    fileName: query.fileName ?? null,
    callbackUrl: query.callbackUrl ?? null,
    callbackField: 'querystring.callbackUrl',
  };
  const kind = uploadKind(request.headers['content-type']);
  if (kind !== 'multipart') {
    return { ...read, upload: { kind: kind ?? 'json', stream: request.body as Readable } };
  }
  const { fields, file } = await multipartUpload(request);
  const fieldUrl = formField(CallbackUrlSchema, 'callbackUrl', fields.callbackUrl);
  if (fieldUrl !== undefined) {
    read.callbackUrl = fieldUrl;
    read.callbackField = 'body.callbackUrl';
  }
  read.column = formField(AddressColumnSelectorSchema, 'column', fields.column) ?? read.column;
  read.sheet = formField(AddressColumnSelectorSchema, 'sheet', fields.sheet) ?? read.sheet;
  if (!file) throw new ProberError('bad_request', 'body: a multipart upload needs a file field', 400);
  if (file.fileName) read.fileName = file.fileName.slice(0, MAX_FILE_NAME_LENGTH);
  return { ...read, upload: { kind: file.kind, stream: file.stream } };
}
