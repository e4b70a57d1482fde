import { readFileSync } from 'node:fs';
import formatsPlugin from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';

type CustomizeAjv = NonNullable<ConstructorParameters<typeof OpenAPIBackend>[0]['customizeAjv']>;
type Ajv = Parameters<CustomizeAjv>[0];
// ajv-formats is CommonJS (`module.exports` and `exports.default` are the plugin); NodeNext types see the module.
const addFormats = ((formatsPlugin as unknown as { default?: unknown }).default ?? formatsPlugin) as (
  ajv: Ajv,
) => Ajv;

const SPEC_FILE = new URL('../openapi/hubspot-crm-v3.openapi.json', import.meta.url);

/** One place where a request or response broke HubSpot's published spec. */
export interface SpecViolation {
  direction: 'request' | 'response';
  method: string;
  path: string;
  status?: number;
  /** The matched operation, or null when the spec has no such operation. */
  operationId: string | null;
  errors: string[];
}

export interface SpecValidator {
  /** Violations of the request; `operationId` null when no documented operation matches. */
  checkRequest(request: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
  }): SpecViolation | null;
  checkResponse(
    request: { method: string; path: string },
    status: number,
    body: unknown,
  ): SpecViolation | null;
}

let shared: Promise<SpecValidator> | null = null;

/**
 * Validates requests and responses against the HubSpot CRM v3 OpenAPI document (see ../openapi/NOTICE.md).
 * Compiling the schemas takes seconds, and validation keeps no state, so every fake in a process shares one.
 */
export function createSpecValidator(): Promise<SpecValidator> {
  shared ??= compileSpecValidator();
  return shared;
}

async function compileSpecValidator(): Promise<SpecValidator> {
  const api = new OpenAPIBackend({
    definition: JSON.parse(readFileSync(SPEC_FILE, 'utf8')),
    strict: true,
    validate: true,
    // Query strings arrive as text; `archived=false` is the boolean the spec declares.
    coerceTypes: true,
    // date-time, uuid and the rest are checked too, not skipped as unknown formats.
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  const messages = (errors: Array<{ instancePath?: string; message?: string }> | null | undefined) =>
    (errors ?? []).map((error) => `${error.instancePath ?? ''} ${error.message ?? ''}`.trim());

  return {
    checkRequest(request) {
      const operation = api.matchOperation({ method: request.method, path: request.path, headers: {} });
      if (operation === undefined) {
        return {
          direction: 'request',
          method: request.method,
          path: request.path,
          operationId: null,
          errors: ['no such operation in the spec'],
        };
      }
      const result = api.validateRequest(
        {
          method: request.method,
          path: request.path,
          query: request.query,
          headers: request.headers as Record<string, string | string[]>,
          body: request.body,
        },
        operation,
      );
      return result.valid
        ? null
        : {
            direction: 'request',
            method: request.method,
            path: request.path,
            operationId: operation.operationId ?? null,
            errors: messages(result.errors),
          };
    },
    checkResponse(request, status, body) {
      const operation = api.matchOperation({ method: request.method, path: request.path, headers: {} });
      if (operation === undefined) return null;
      const result = api.validateResponse(body, operation, status);
      return result.valid
        ? null
        : {
            direction: 'response',
            method: request.method,
            path: request.path,
            status,
            operationId: operation.operationId ?? null,
            errors: messages(result.errors),
          };
    },
  };
}
