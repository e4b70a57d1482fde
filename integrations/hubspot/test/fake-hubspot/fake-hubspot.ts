import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  defaultContactProperties,
  defaultPropertyGroups,
  type FakeOption,
  type FakeProperty,
  type FakePropertyGroup,
  FIELD_TYPES,
  normalizeValue,
  PROPERTY_TYPES,
} from './fake-properties.js';
import {
  compare,
  type FakeFilter,
  type FakeSort,
  invalidFilter,
  matchesFilter,
  parseSort,
} from './fake-search.js';
import { createSpecValidator, type SpecViolation } from './spec-validator.js';

/** HubSpot's documented limits, as the fake enforces them. */
export const FAKE_BATCH_LIMIT = 100;
export const FAKE_SEARCH_PAGE_LIMIT = 200;
export const FAKE_SEARCH_RESULT_CAP = 10_000;
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_SEARCH_LIMIT = 10;
const DEFAULT_RESPONSE_PROPERTIES = ['createdate', 'hs_object_id', 'lastmodifieddate'];
const TEN_SECONDLY_ROLLING = 'TEN_SECONDLY_ROLLING';

export interface FakeRateLimit {
  requests: number;
  windowMs: number;
}

export interface FakeHubspotOptions {
  /** The private-app token every request must carry as `Authorization: Bearer …`. Default: random. */
  accessToken?: string;
  /** Burst limit for every endpoint except search (default 100 per 10 s); null: unlimited. */
  burstLimit?: FakeRateLimit | null;
  /** Search's own limit (default 5 per second); null: unlimited. */
  searchLimit?: FakeRateLimit | null;
  /** How many results one search query can page through (default 10,000). */
  searchResultCap?: number;
  host?: string;
}

export interface FakeContact {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface FakeRequestRecord {
  method: string;
  path: string;
  status: number;
  body: unknown;
  at: number;
}

export interface InjectedRateLimit {
  /** The 429 body's policyName; null leaves it out (a 429 the client library will not retry). */
  policyName: string | null;
  message?: string;
  retryAfterSeconds?: number;
}

export interface HeldRequests {
  release(): void;
  waitForHeldRequest(): Promise<void>;
}

export interface FakeHubspot {
  url: string;
  accessToken: string;
  contacts: Map<string, FakeContact>;
  properties: Map<string, FakeProperty>;
  groups: Map<string, FakePropertyGroup>;
  /** Contact id → number of updates applied to it (single or batch). */
  writes: Map<string, number>;
  requests: FakeRequestRecord[];
  /**
   * Every request or response that broke HubSpot's published OpenAPI spec (../openapi/). A request
   * violation is also answered 400, as HubSpot validates input; a response violation is a fake bug.
   */
  specViolations: SpecViolation[];
  /** Creates contacts with the given properties; returns their ids (ascending). */
  addContacts(properties: Array<Record<string, string>>): string[];
  deleteContact(id: string): void;
  /** Merges `mergedId` into `primaryId`: the merged id stops existing. */
  mergeContacts(primaryId: string, mergedId: string): void;
  /** The next `count` requests (search included) answer 429 with this body. */
  injectRateLimit(count: number, limit: InjectedRateLimit): void;
  /** Stalls contact batch updates until released; a stalled request whose client went away is never applied. */
  holdContactWrites(): HeldRequests;
  /**
   * Stalls the next request whose path ends with `pathSuffix` (after letting `skip` through): before it
   * is applied (a stalled request whose client went away is never applied), or with `afterApply` once
   * it has been applied and before the answer goes out — a client killed there never learns it landed.
   */
  holdRequests(pathSuffix: string, options?: { afterApply?: boolean; skip?: number }): HeldRequests;
  close(): Promise<void>;
}

interface HttpError {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

type Handler = (
  request: ParsedRequest,
) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };

interface ParsedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: string[];
  body: unknown;
  response: ServerResponse;
}

/** Starts a fake HubSpot API on loopback that follows the published CRM v3 specs for what Mailprobe uses. */
export async function startFakeHubspot(options: FakeHubspotOptions = {}): Promise<FakeHubspot> {
  const accessToken = options.accessToken ?? `pat-na1-${randomBytes(16).toString('hex')}`;
  const burstLimit =
    options.burstLimit === undefined ? { requests: 100, windowMs: 10_000 } : options.burstLimit;
  const searchLimit =
    options.searchLimit === undefined ? { requests: 5, windowMs: 1000 } : options.searchLimit;
  const searchResultCap = options.searchResultCap ?? FAKE_SEARCH_RESULT_CAP;
  const now = () => new Date().toISOString();

  const contacts = new Map<string, FakeContact>();
  const properties = new Map(defaultContactProperties(now()).map((property) => [property.name, property]));
  const groups = new Map(defaultPropertyGroups().map((group) => [group.name, group]));
  const writes = new Map<string, number>();
  const requests: FakeRequestRecord[] = [];
  const specViolations: SpecViolation[] = [];
  const validator = await createSpecValidator();
  const burstLog: number[] = [];
  const searchLog: number[] = [];
  const injected: InjectedRateLimit[] = [];
  let nextId = 1;
  let hold: {
    pathSuffix: string;
    afterApply: boolean;
    skip: number;
    released: Promise<void>;
    release: () => void;
    arrived: () => void;
  } | null = null;

  const error = (
    status: number,
    category: string,
    message: string,
    extra: Record<string, unknown> = {},
  ): HttpError => ({
    status,
    body: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
  });

  const rateLimited = (
    policyName: string | null,
    message: string,
    retryAfterSeconds?: number,
  ): HttpError => ({
    status: 429,
    body: {
      status: 'error',
      message,
      category: 'RATE_LIMITS',
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      ...(policyName !== null ? { policyName } : {}),
      requestId: randomUUID(),
    },
    ...(retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(retryAfterSeconds) } } : {}),
  });

  const objectJson = (contact: FakeContact, wanted: readonly string[]) => {
    const names = new Set([...DEFAULT_RESPONSE_PROPERTIES, ...wanted]);
    const values: Record<string, string | null> = {};
    // The live API sends null for an empty requested property; the published schema says string, and
    // the fake follows the spec (the enricher reads both).
    for (const name of names) {
      const value = contact.properties[name];
      if (properties.has(name) && value !== undefined) values[name] = value;
    }
    return {
      id: contact.id,
      properties: values,
      createdAt: contact.createdAt,
      updatedAt: contact.updatedAt,
      archived: false,
    };
  };

  const propertyJson = (property: FakeProperty) => ({
    ...property,
    modificationMetadata: {
      archivable: !property.hubspotDefined,
      readOnlyDefinition: Boolean(property.hubspotDefined),
      readOnlyValue: Boolean(property.readOnlyValue),
    },
  });

  const notFoundBatchError = (ids: string[]) => ({
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message:
      'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
    context: { ids },
    errors: [],
    links: {},
  });

  const batchResponse = (results: unknown[], missing: string[], startedAt: string) => ({
    status: missing.length > 0 ? 207 : 200,
    body: {
      status: 'COMPLETE',
      results,
      ...(missing.length > 0 ? { numErrors: 1, errors: [notFoundBatchError(missing)] } : {}),
      startedAt,
      completedAt: now(),
    },
  });

  const batchInputs = (body: unknown): Array<Record<string, unknown>> => {
    const inputs = (body as { inputs?: unknown } | null)?.inputs;
    if (!Array.isArray(inputs))
      throw error(400, 'VALIDATION_ERROR', 'Invalid input JSON: `inputs` is required.');
    if (inputs.length > FAKE_BATCH_LIMIT) {
      throw error(
        400,
        'VALIDATION_ERROR',
        `Batch input limit exceeded: ${inputs.length} inputs, at most ${FAKE_BATCH_LIMIT}.`,
        {
          context: { limit: [String(FAKE_BATCH_LIMIT)] },
        },
      );
    }
    return inputs as Array<Record<string, unknown>>;
  };

  /** Validates every value first so a bad batch changes nothing (HubSpot rejects the whole batch). */
  const validatedValues = (values: unknown): Record<string, string> => {
    if (typeof values !== 'object' || values === null)
      throw error(400, 'VALIDATION_ERROR', 'properties must be an object');
    const problems: Array<{ message: string; code: string; context: Record<string, string[]> }> = [];
    const normalized: Record<string, string> = {};
    for (const [name, raw] of Object.entries(values as Record<string, unknown>)) {
      const property = properties.get(name);
      const value = raw === null ? '' : String(raw);
      if (property === undefined || property.archived) {
        problems.push({
          message: `Property "${name}" does not exist`,
          code: 'PROPERTY_DOESNT_EXIST',
          context: { propertyName: [name] },
        });
      } else if (property.readOnlyValue) {
        problems.push({
          message: `"${name}" is a read only property; its value cannot be set.`,
          code: 'READ_ONLY_VALUE',
          context: { propertyName: [name] },
        });
      } else {
        const result = normalizeValue(property, value);
        if ('error' in result) {
          problems.push({
            message: `${value} was not a valid value for ${name}`,
            code: result.error,
            context: { propertyName: [name] },
          });
        } else {
          normalized[name] = result.value;
        }
      }
    }
    if (problems.length > 0) {
      throw error(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(problems)}`, {
        errors: problems,
      });
    }
    return normalized;
  };

  const applyUpdate = (contact: FakeContact, values: Record<string, string>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === '') delete contact.properties[name];
      else contact.properties[name] = value;
    }
    contact.updatedAt = now();
    contact.properties.lastmodifieddate = contact.updatedAt;
    writes.set(contact.id, (writes.get(contact.id) ?? 0) + 1);
  };

  const validOptions = (options: unknown): FakeOption[] => {
    if (options === undefined) return [];
    if (!Array.isArray(options)) throw error(400, 'VALIDATION_ERROR', 'options must be an array');
    const seen = new Set<string>();
    return options.map((option: Partial<FakeOption>) => {
      if (
        typeof option.label !== 'string' ||
        typeof option.value !== 'string' ||
        typeof option.hidden !== 'boolean'
      ) {
        throw error(400, 'VALIDATION_ERROR', 'Each option needs label, value and hidden');
      }
      if (seen.has(option.value))
        throw error(400, 'VALIDATION_ERROR', `Duplicate option value ${option.value}`);
      seen.add(option.value);
      return { ...option } as FakeOption;
    });
  };

  const checkTypes = (type: unknown, fieldType: unknown, options: FakeOption[]) => {
    if (!PROPERTY_TYPES.includes(type as never))
      throw error(400, 'VALIDATION_ERROR', `Invalid property type ${String(type)}`);
    if (!FIELD_TYPES.includes(fieldType as never))
      throw error(400, 'VALIDATION_ERROR', `Invalid fieldType ${String(fieldType)}`);
    if ((type === 'enumeration' || type === 'bool') && options.length === 0) {
      throw error(400, 'VALIDATION_ERROR', `Properties of type ${type} need options`);
    }
    if (type === 'bool' && !options.every((option) => option.value === 'true' || option.value === 'false')) {
      throw error(400, 'VALIDATION_ERROR', 'bool options must have the values true and false');
    }
  };

  const takeHold = (path: string) => {
    if (hold === null || !path.endsWith(hold.pathSuffix)) return null;
    if (hold.skip > 0) {
      hold.skip--;
      return null;
    }
    const current = hold;
    hold = null;
    return current;
  };

  const holdRequests = (
    pathSuffix: string,
    options: { afterApply?: boolean; skip?: number } = {},
  ): HeldRequests => {
    let release!: () => void;
    let arrived!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    hold = {
      pathSuffix,
      afterApply: options.afterApply ?? false,
      skip: options.skip ?? 0,
      released,
      release,
      arrived,
    };
    pendingReleases.push(release);
    return { release, waitForHeldRequest: () => arrival };
  };
  const pendingReleases: Array<() => void> = [];

  const routes: Array<{ method: string; pattern: RegExp; handler: Handler; search?: boolean }> = [
    {
      method: 'GET',
      pattern: /^\/crm\/v3\/properties\/contacts\/groups$/,
      handler: () => ({
        status: 200,
        body: { results: [...groups.values()].filter((group) => !group.archived) },
      }),
    },
    {
      method: 'POST',
      pattern: /^\/crm\/v3\/properties\/contacts\/groups$/,
      handler: ({ body }) => {
        const input = body as Partial<FakePropertyGroup>;
        if (typeof input?.name !== 'string' || typeof input.label !== 'string') {
          throw error(400, 'VALIDATION_ERROR', 'name and label are required');
        }
        if (groups.has(input.name)) {
          throw error(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${input.name}' already exists.`);
        }
        const group = {
          name: input.name,
          label: input.label,
          displayOrder: input.displayOrder ?? -1,
          archived: false,
        };
        groups.set(group.name, group);
        return { status: 201, body: group };
      },
    },
    {
      method: 'GET',
      pattern: /^\/crm\/v3\/properties\/contacts\/groups\/([^/]+)$/,
      handler: ({ params }) => {
        const group = groups.get(params[0] as string);
        if (group === undefined)
          throw error(404, 'OBJECT_NOT_FOUND', `Unable to find property group ${params[0]}`);
        return { status: 200, body: group };
      },
    },
    {
      method: 'GET',
      pattern: /^\/crm\/v3\/properties\/contacts$/,
      handler: ({ query }) => {
        const archived = query.get('archived') === 'true';
        const results = [...properties.values()]
          .filter((property) => property.archived === archived)
          .map(propertyJson);
        return { status: 200, body: { results } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/crm\/v3\/properties\/contacts$/,
      handler: ({ body }) => {
        const input = (body ?? {}) as Partial<FakeProperty>;
        for (const field of ['name', 'label', 'type', 'fieldType', 'groupName'] as const) {
          if (typeof input[field] !== 'string') throw error(400, 'VALIDATION_ERROR', `${field} is required`);
        }
        if (properties.has(input.name as string)) {
          throw error(409, 'OBJECT_ALREADY_EXISTS', `Property named '${input.name}' already exists.`, {
            context: { name: [input.name as string] },
          });
        }
        if (!groups.has(input.groupName as string)) {
          throw error(400, 'VALIDATION_ERROR', `Property group '${input.groupName}' does not exist.`);
        }
        const options = validOptions(input.options);
        checkTypes(input.type, input.fieldType, options);
        const property: FakeProperty = {
          name: input.name as string,
          label: input.label as string,
          description: input.description ?? '',
          groupName: input.groupName as string,
          type: input.type as string,
          fieldType: input.fieldType as string,
          options,
          ...(input.displayOrder !== undefined ? { displayOrder: input.displayOrder } : {}),
          ...(input.formField !== undefined ? { formField: input.formField } : {}),
          hidden: input.hidden ?? false,
          hubspotDefined: false,
          createdAt: now(),
          updatedAt: now(),
          archived: false,
        };
        properties.set(property.name, property);
        return { status: 201, body: propertyJson(property) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/crm\/v3\/properties\/contacts\/([^/]+)$/,
      handler: ({ params }) => {
        const property = properties.get(params[0] as string);
        if (property === undefined)
          throw error(404, 'OBJECT_NOT_FOUND', `Unable to find property ${params[0]}`);
        return { status: 200, body: propertyJson(property) };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/crm\/v3\/properties\/contacts\/([^/]+)$/,
      handler: ({ params, body }) => {
        const property = properties.get(params[0] as string);
        if (property === undefined)
          throw error(404, 'OBJECT_NOT_FOUND', `Unable to find property ${params[0]}`);
        if (property.hubspotDefined)
          throw error(400, 'VALIDATION_ERROR', `${property.name} is a HubSpot-defined property`);
        const input = (body ?? {}) as Partial<FakeProperty>;
        const options = input.options !== undefined ? validOptions(input.options) : property.options;
        const type = input.type ?? property.type;
        const fieldType = input.fieldType ?? property.fieldType;
        checkTypes(type, fieldType, options);
        if (input.groupName !== undefined && !groups.has(input.groupName)) {
          throw error(400, 'VALIDATION_ERROR', `Property group '${input.groupName}' does not exist.`);
        }
        Object.assign(property, {
          ...(input.label !== undefined ? { label: input.label } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.groupName !== undefined ? { groupName: input.groupName } : {}),
          ...(input.displayOrder !== undefined ? { displayOrder: input.displayOrder } : {}),
          ...(input.formField !== undefined ? { formField: input.formField } : {}),
          ...(input.hidden !== undefined ? { hidden: input.hidden } : {}),
          type,
          fieldType,
          options,
          updatedAt: now(),
        });
        return { status: 200, body: propertyJson(property) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/crm\/v3\/objects\/contacts\/batch\/read$/,
      handler: ({ body, query }) => {
        const startedAt = now();
        const inputs = batchInputs(body);
        if (query.get('archived') === 'true') return batchResponse([], [], startedAt);
        const wanted = ((body as { properties?: string[] }).properties ?? []).filter(
          (name) => typeof name === 'string',
        );
        const results: unknown[] = [];
        const missing: string[] = [];
        for (const input of inputs) {
          const contact = contacts.get(String(input.id));
          if (contact === undefined) missing.push(String(input.id));
          else results.push(objectJson(contact, wanted));
        }
        return batchResponse(results, missing, startedAt);
      },
    },
    {
      method: 'POST',
      pattern: /^\/crm\/v3\/objects\/contacts\/batch\/update$/,
      handler: ({ body }) => {
        const startedAt = now();
        const inputs = batchInputs(body);
        const prepared = inputs.map((input) => {
          if (typeof input.id !== 'string') throw error(400, 'VALIDATION_ERROR', 'Each input needs an id');
          return { id: input.id, values: validatedValues(input.properties) };
        });
        const results: unknown[] = [];
        const missing: string[] = [];
        for (const { id, values } of prepared) {
          const contact = contacts.get(id);
          if (contact === undefined) {
            missing.push(id);
            continue;
          }
          applyUpdate(contact, values);
          results.push(objectJson(contact, Object.keys(values)));
        }
        return batchResponse(results, missing, startedAt);
      },
    },
    {
      method: 'POST',
      pattern: /^\/crm\/v3\/objects\/contacts\/search$/,
      search: true,
      handler: ({ body }) => {
        const input = (body ?? {}) as {
          filterGroups?: Array<{ filters?: FakeFilter[] }>;
          sorts?: FakeSort[];
          properties?: string[];
          limit?: number;
          after?: string;
        };
        const limit = input.limit ?? DEFAULT_SEARCH_LIMIT;
        if (!Number.isInteger(limit) || limit < 1 || limit > FAKE_SEARCH_PAGE_LIMIT) {
          throw error(400, 'VALIDATION_ERROR', `limit must be between 1 and ${FAKE_SEARCH_PAGE_LIMIT}`);
        }
        const offset = input.after === undefined ? 0 : Number(input.after);
        if (!Number.isInteger(offset) || offset < 0)
          throw error(400, 'VALIDATION_ERROR', `Invalid after ${input.after}`);
        if (offset >= searchResultCap) {
          throw error(
            400,
            'VALIDATION_ERROR',
            `Paging beyond ${searchResultCap} results is not supported for search.`,
          );
        }
        const filterGroups = input.filterGroups ?? [];
        for (const group of filterGroups) {
          for (const filter of group.filters ?? []) {
            const problem = invalidFilter(filter, properties);
            if (problem !== null) throw error(400, 'VALIDATION_ERROR', problem);
          }
        }
        const sorts = (input.sorts ?? []).map(parseSort);
        for (const sort of sorts) {
          if (!properties.has(sort.propertyName)) {
            throw error(400, 'VALIDATION_ERROR', `Property '${sort.propertyName}' does not exist`);
          }
        }
        const matching = [...contacts.values()].filter(
          (contact) =>
            filterGroups.length === 0 ||
            filterGroups.some((group) =>
              (group.filters ?? []).every((filter) =>
                matchesFilter(
                  contact.properties[filter.propertyName],
                  filter,
                  properties.get(filter.propertyName) as FakeProperty,
                ),
              ),
            ),
        );
        const ordering = sorts.length > 0 ? sorts : [{ propertyName: 'hs_object_id', descending: false }];
        matching.sort((left, right) => {
          for (const sort of ordering) {
            const property = properties.get(sort.propertyName) as FakeProperty;
            const a = left.properties[sort.propertyName];
            const b = right.properties[sort.propertyName];
            const order =
              a === undefined ? (b === undefined ? 0 : 1) : b === undefined ? -1 : compare(a, b, property);
            if (order !== 0) return sort.descending ? -order : order;
          }
          return 0;
        });
        const end = Math.min(offset + limit, matching.length, searchResultCap);
        const page = matching
          .slice(offset, end)
          .map((contact) => objectJson(contact, input.properties ?? []));
        const hasMore = end < Math.min(matching.length, searchResultCap);
        return {
          status: 200,
          body: {
            total: matching.length,
            results: page,
            ...(hasMore ? { paging: { next: { after: String(end) } } } : {}),
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/crm\/v3\/objects\/contacts\/([^/]+)$/,
      handler: ({ params, query }) => {
        const contact = contacts.get(params[0] as string);
        if (contact === undefined) throw error(404, 'OBJECT_NOT_FOUND', 'resource not found');
        const wanted = (query.get('properties') ?? '').split(',').filter(Boolean);
        return { status: 200, body: objectJson(contact, wanted) };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/crm\/v3\/objects\/contacts\/([^/]+)$/,
      handler: ({ params, body }) => {
        const contact = contacts.get(params[0] as string);
        if (contact === undefined) throw error(404, 'OBJECT_NOT_FOUND', 'resource not found');
        const values = validatedValues((body as { properties?: unknown } | null)?.properties);
        applyUpdate(contact, values);
        return { status: 200, body: objectJson(contact, Object.keys(values)) };
      },
    },
  ];

  const underLimit = (log: number[], limit: FakeRateLimit | null): { ok: boolean; remaining: number } => {
    if (limit === null) return { ok: true, remaining: Number.MAX_SAFE_INTEGER };
    const time = Date.now();
    while (log.length > 0 && (log[0] as number) <= time - limit.windowMs) log.shift();
    if (log.length >= limit.requests) return { ok: false, remaining: 0 };
    log.push(time);
    return { ok: true, remaining: limit.requests - log.length };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://fake-hubspot');
    const method = request.method ?? 'GET';
    let parsedBody: unknown = null;
    const record = (status: number) =>
      requests.push({ method, path: url.pathname, status, body: parsedBody, at: Date.now() });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record(status);
      const violation = validator.checkResponse({ method, path: url.pathname }, status, body);
      if (violation !== null) specViolations.push(violation);
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
      response.end(JSON.stringify(body));
    };
    try {
      const raw = await readBody(request);
      if (request.headers.authorization !== `Bearer ${accessToken}`) {
        throw error(
          401,
          'INVALID_AUTHENTICATION',
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        );
      }
      if (raw.length > 0) {
        try {
          parsedBody = JSON.parse(raw);
        } catch {
          throw error(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: the body is not JSON.');
        }
      }
      const route = routes.find(
        (candidate) => candidate.method === method && candidate.pattern.test(url.pathname),
      );
      if (route === undefined) throw error(404, 'OBJECT_NOT_FOUND', `No route for ${method} ${url.pathname}`);
      const violation = validator.checkRequest({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body: parsedBody,
      });
      if (violation !== null) {
        specViolations.push(violation);
        throw error(400, 'VALIDATION_ERROR', `Invalid input: ${violation.errors.join('; ')}`, {
          errors: violation.errors.map((message) => ({ message, code: 'INVALID_INPUT' })),
        });
      }
      const forced = injected.shift();
      if (forced !== undefined) {
        throw rateLimited(
          forced.policyName,
          forced.message ?? 'You have reached your ten_secondly_rolling limit.',
          forced.retryAfterSeconds,
        );
      }
      const rateHeaders: Record<string, string> = {};
      if (route.search) {
        if (!underLimit(searchLog, searchLimit).ok) {
          // Like the live API, the 429 carries the account's burst-policy headers although the policy
          // hit is the secondly search limit.
          const limited = rateLimited('SECONDLY', 'You have reached your secondly limit.');
          throw {
            ...limited,
            headers:
              burstLimit === null
                ? {}
                : {
                    'x-hubspot-ratelimit-interval-milliseconds': String(burstLimit.windowMs),
                    'x-hubspot-ratelimit-max': String(burstLimit.requests),
                  },
          };
        }
      } else {
        const verdict = underLimit(burstLog, burstLimit);
        if (burstLimit !== null) {
          rateHeaders['x-hubspot-ratelimit-interval-milliseconds'] = String(burstLimit.windowMs);
          rateHeaders['x-hubspot-ratelimit-max'] = String(burstLimit.requests);
          rateHeaders['x-hubspot-ratelimit-remaining'] = String(verdict.remaining);
        }
        if (!verdict.ok) {
          const limited = rateLimited(
            TEN_SECONDLY_ROLLING,
            'You have reached your ten_secondly_rolling limit.',
          );
          throw { ...limited, headers: rateHeaders };
        }
      }
      const match = route.pattern.exec(url.pathname) as RegExpExecArray;
      const params = match.slice(1).map((part) => decodeURIComponent(part));
      const held = takeHold(url.pathname);
      if (held !== null && !held.afterApply) {
        let clientGone = false;
        response.on('close', () => {
          if (!response.writableFinished) clientGone = true;
        });
        held.arrived();
        await held.released;
        if (clientGone) {
          throw error(499, 'CLIENT_CLOSED_REQUEST', 'The client went away first; nothing was applied.');
        }
      }
      const result = await route.handler({
        method,
        path: url.pathname,
        query: url.searchParams,
        params,
        body: parsedBody,
        response,
      });
      if (held?.afterApply) {
        held.arrived();
        await held.released;
      }
      send(result.status, result.body, rateHeaders);
    } catch (caught) {
      const httpError = caught as Partial<HttpError>;
      if (typeof httpError.status === 'number' && httpError.body !== undefined) {
        send(httpError.status, httpError.body, httpError.headers ?? {});
      } else {
        send(500, {
          status: 'error',
          message: String(caught),
          correlationId: randomUUID(),
          category: 'INTERNAL_ERROR',
        });
      }
    }
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;

  return {
    url: `http://${address.address}:${address.port}`,
    accessToken,
    contacts,
    properties,
    groups,
    writes,
    requests,
    specViolations,
    addContacts(list) {
      return list.map((values) => {
        const id = String(nextId++);
        const createdAt = now();
        contacts.set(id, {
          id,
          properties: { ...values, hs_object_id: id, createdate: createdAt, lastmodifieddate: createdAt },
          createdAt,
          updatedAt: createdAt,
        });
        return id;
      });
    },
    deleteContact(id) {
      contacts.delete(id);
    },
    mergeContacts(primaryId, mergedId) {
      if (!contacts.has(primaryId)) throw new Error(`no contact ${primaryId}`);
      contacts.delete(mergedId);
    },
    injectRateLimit(count, limit) {
      for (let index = 0; index < count; index++) injected.push(limit);
    },
    holdContactWrites: () => holdRequests('/crm/v3/objects/contacts/batch/update'),
    holdRequests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of pendingReleases) release();
        server.closeAllConnections();
        server.close((closeError) => (closeError ? reject(closeError) : resolve()));
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw {
        status: 413,
        body: {
          status: 'error',
          message: 'Request body too large',
          correlationId: randomUUID(),
          category: 'VALIDATION_ERROR',
        },
      };
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}
