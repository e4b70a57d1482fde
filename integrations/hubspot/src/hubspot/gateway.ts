import { Client } from '@hubspot/api-client';
import type {
  BatchResponseSimplePublicObject,
  BatchResponseSimplePublicObjectWithErrors,
  FilterOperatorEnum,
  StandardError,
} from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
  PropertyUpdateFieldTypeEnum,
  PropertyUpdateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { AbortedError, HubspotApiError } from '../errors.js';
import { type Logger, silentLogger } from '../logger.js';
import { sleep } from '../sleep.js';
import { classifyHubspotFailure, type HubspotFailure, POLICY_INTERVAL_MS } from './failure.js';
import { type RollingWindowLimit, RollingWindowLimiter } from './rolling-window-limiter.js';

/** HubSpot caps batch read and batch update inputs at 100 per call. */
export const HUBSPOT_BATCH_LIMIT = 100;
/** The search endpoint returns at most 200 objects per page. */
export const HUBSPOT_SEARCH_PAGE_LIMIT = 200;
const CONTACTS = 'contacts';
const OBJECT_NOT_FOUND = 'OBJECT_NOT_FOUND';

export interface RetrySettings {
  /** Attempts after the first one, for 429, 5xx and network failures. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface HubspotGatewayOptions {
  accessToken: string;
  /** API origin; `https://api.hubapi.com` unless pointed at a fake in tests. */
  baseUrl?: string;
  /** Client-side limit for every call except search (HubSpot's private-app burst limit). */
  burstLimit: RollingWindowLimit;
  /** Client-side limit for the search endpoint, which HubSpot limits separately and lower. */
  searchLimit: RollingWindowLimit;
  retry: RetrySettings;
  logger?: Logger;
}

export interface ContactRecord {
  id: string;
  properties: Record<string, string | null>;
}

export interface ContactUpdate {
  id: string;
  properties: Record<string, string>;
}

export interface PropertyOption {
  label: string;
  value: string;
  description?: string;
  displayOrder?: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: 'text' | 'textarea' | 'date' | 'number' | 'select' | 'radio' | 'checkbox' | 'booleancheckbox';
  options: PropertyOption[];
  displayOrder?: number;
  formField?: boolean;
}

export interface PropertyGroupDefinition {
  name: string;
  label: string;
  displayOrder: number;
}

export interface SearchFilter {
  propertyName: string;
  operator: 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY' | 'IN';
  value?: string;
  values?: string[];
}

export interface ContactSearch {
  /** OR of groups; AND within a group. */
  filterGroups: Array<{ filters: SearchFilter[] }>;
  /** Property names, ascending; prefix `-` for descending (the v3 spec types sorts as strings). */
  sorts: string[];
  properties: string[];
  limit: number;
  /** Paging cursor; sent as "0" (the first page) when absent. */
  after?: string;
}

export interface ContactSearchPage {
  total: number;
  contacts: ContactRecord[];
  after: string | null;
}

export interface GatewayStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

/** Every HubSpot call Mailprobe makes, limited, retried and typed. */
export interface HubspotGateway {
  listPropertyGroups(signal?: AbortSignal): Promise<PropertyGroupDefinition[]>;
  createPropertyGroup(group: PropertyGroupDefinition, signal?: AbortSignal): Promise<void>;
  listProperties(signal?: AbortSignal): Promise<PropertyDefinition[]>;
  createProperty(property: PropertyDefinition, signal?: AbortSignal): Promise<void>;
  updateProperty(
    name: string,
    update: Partial<Omit<PropertyDefinition, 'name'>>,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Batch read (split by 100); deleted or merged ids come back in `missingIds`, never as a failure. */
  readContacts(
    ids: readonly string[],
    properties: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ contacts: ContactRecord[]; missingIds: string[] }>;
  /** Batch update (split by 100); deleted or merged ids come back in `missingIds`. */
  updateContacts(
    updates: readonly ContactUpdate[],
    signal?: AbortSignal,
  ): Promise<{ updatedIds: string[]; missingIds: string[] }>;
  searchContacts(search: ContactSearch, signal?: AbortSignal): Promise<ContactSearchPage>;
  readonly stats: GatewayStats;
}

/**
 * Creates the gateway around one @hubspot/api-client Client.
 *
 * The client keeps retry and limiter decorators in one process-wide object that every `new Client()`
 * overwrites, so this gateway never configures them (`numberOfApiCallRetries` and `limiterOptions` stay
 * unset, leaving that object empty) and does its own limiting and retrying per gateway instead. The
 * client's own 429 retry would only fire for bodies with `policyName: 'TEN_SECONDLY_ROLLING'`, always
 * wait 10 s × attempt and log with console.error; ours honours Retry-After, the policy and the interval header.
 */
export function createHubspotGateway(options: HubspotGatewayOptions): HubspotGateway {
  const client = new Client({
    accessToken: options.accessToken,
    ...(options.baseUrl ? { basePath: options.baseUrl.replace(/\/+$/, '') } : {}),
  });
  const logger = options.logger ?? silentLogger;
  const burst = new RollingWindowLimiter(options.burstLimit);
  const search = new RollingWindowLimiter(options.searchLimit);
  const stats: GatewayStats = { requests: 0, retries: 0, rateLimited: 0 };

  async function call<T>(
    operation: string,
    limiter: RollingWindowLimiter,
    run: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const release = await limiter.acquire(signal);
      stats.requests++;
      try {
        return await run();
      } catch (error) {
        release();
        const failure = classifyHubspotFailure(error);
        const delayMs = retryDelay(failure, attempt, options.retry, limiter.limit);
        if (delayMs === null || attempt >= options.retry.maxRetries)
          throw toApiError(operation, failure, error);
        if (failure.kind === 'rate_limited') {
          stats.rateLimited++;
          limiter.pauseUntil(Date.now() + delayMs);
        }
        stats.retries++;
        logger.warn('hubspot call failed; retrying', { operation, failure: failure.kind, attempt, delayMs });
        if (signal?.aborted) throw new AbortedError();
        await sleep(delayMs, signal);
      } finally {
        release();
      }
    }
  }

  return {
    stats,

    async listPropertyGroups(signal) {
      const response = await call(
        'groups.getAll',
        burst,
        () => client.crm.properties.groupsApi.getAll(CONTACTS),
        signal,
      );
      return response.results.map((group) => ({
        name: group.name,
        label: group.label,
        displayOrder: group.displayOrder,
      }));
    },

    async createPropertyGroup(group, signal) {
      await call(
        'groups.create',
        burst,
        () => client.crm.properties.groupsApi.create(CONTACTS, group),
        signal,
      );
    },

    async listProperties(signal) {
      const response = await call(
        'properties.getAll',
        burst,
        () => client.crm.properties.coreApi.getAll(CONTACTS, false),
        signal,
      );
      return response.results.map((property) => ({
        name: property.name,
        label: property.label,
        description: property.description,
        groupName: property.groupName,
        type: property.type as PropertyDefinition['type'],
        fieldType: property.fieldType as PropertyDefinition['fieldType'],
        options: property.options.map((option) => ({
          label: option.label,
          value: option.value,
          hidden: option.hidden,
          ...(option.description !== undefined ? { description: option.description } : {}),
          ...(option.displayOrder !== undefined ? { displayOrder: option.displayOrder } : {}),
        })),
        ...(property.displayOrder !== undefined ? { displayOrder: property.displayOrder } : {}),
        ...(property.formField !== undefined ? { formField: property.formField } : {}),
      }));
    },

    async createProperty(property, signal) {
      await call(
        'properties.create',
        burst,
        () =>
          client.crm.properties.coreApi.create(CONTACTS, {
            ...property,
            type: property.type as PropertyCreateTypeEnum,
            fieldType: property.fieldType as PropertyCreateFieldTypeEnum,
          }),
        signal,
      );
    },

    async updateProperty(name, update, signal) {
      await call(
        'properties.update',
        burst,
        () =>
          client.crm.properties.coreApi.update(CONTACTS, name, {
            ...update,
            type: update.type as PropertyUpdateTypeEnum | undefined,
            fieldType: update.fieldType as PropertyUpdateFieldTypeEnum | undefined,
          }),
        signal,
      );
    },

    async readContacts(ids, properties, signal) {
      const contacts: ContactRecord[] = [];
      const missingIds: string[] = [];
      for (const chunk of chunks(unique(ids), HUBSPOT_BATCH_LIMIT)) {
        const response = await withoutMissingIds(chunk, missingIds, (present) =>
          call(
            'contacts.batch.read',
            burst,
            () =>
              client.crm.contacts.batchApi.read({
                inputs: present.map((id) => ({ id })),
                properties: [...properties],
                propertiesWithHistory: [],
              }),
            signal,
          ),
        );
        if (response === null) continue;
        for (const object of response.results)
          contacts.push({ id: object.id, properties: object.properties });
        missingIds.push(...notFoundIds(response));
      }
      return { contacts, missingIds: unique(missingIds) };
    },

    async updateContacts(updates, signal) {
      const updatedIds: string[] = [];
      const missingIds: string[] = [];
      for (const chunk of chunks(updates, HUBSPOT_BATCH_LIMIT)) {
        const byId = new Map(chunk.map((update) => [update.id, update]));
        const response = await withoutMissingIds([...byId.keys()], missingIds, (present) =>
          call(
            'contacts.batch.update',
            burst,
            () =>
              client.crm.contacts.batchApi.update({
                inputs: present.map((id) => ({ id, properties: (byId.get(id) as ContactUpdate).properties })),
              }),
            signal,
          ),
        );
        if (response === null) continue;
        for (const object of response.results) updatedIds.push(object.id);
        missingIds.push(...notFoundIds(response));
      }
      return { updatedIds, missingIds: unique(missingIds) };
    },

    async searchContacts(request, signal) {
      const response = await call(
        'contacts.search',
        search,
        () =>
          client.crm.contacts.searchApi.doSearch({
            filterGroups: request.filterGroups.map((group) => ({
              filters: group.filters.map((filter) => ({
                ...filter,
                operator: filter.operator as FilterOperatorEnum,
              })),
            })),
            sorts: request.sorts,
            properties: request.properties,
            limit: request.limit,
            // The published PublicObjectSearchRequest marks `after` required; "0" is the first page.
            after: request.after ?? '0',
          }),
        signal,
      );
      return {
        total: response.total,
        contacts: response.results.map((object) => ({ id: object.id, properties: object.properties })),
        after: response.paging?.next?.after ?? null,
      };
    },
  };
}

/**
 * Runs a batch call; when HubSpot rejects the whole batch because some ids no longer exist (a 4xx with
 * category OBJECT_NOT_FOUND naming them in `context.ids`), records those ids and retries the rest once.
 */
async function withoutMissingIds<T>(
  ids: string[],
  missingIds: string[],
  run: (present: string[]) => Promise<T>,
): Promise<T | null> {
  let present = ids;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (present.length === 0) return null;
    try {
      return await run(present);
    } catch (error) {
      const named = error instanceof HubspotApiError ? missingIdsOf(error) : [];
      const gone = present.filter((id) => named.includes(id));
      if (gone.length === 0 || attempt > 0) throw error;
      missingIds.push(...gone);
      present = present.filter((id) => !named.includes(id));
    }
  }
  return null;
}

function missingIdsOf(error: HubspotApiError): string[] {
  if (error.category !== OBJECT_NOT_FOUND) return [];
  const details = (error.cause as { body?: { context?: Record<string, string[]> } } | undefined)?.body;
  return details?.context?.ids ?? [];
}

function notFoundIds(
  response: BatchResponseSimplePublicObject | BatchResponseSimplePublicObjectWithErrors,
): string[] {
  const errors: StandardError[] =
    'errors' in response && Array.isArray(response.errors) ? response.errors : [];
  return errors
    .filter((error) => error.category === OBJECT_NOT_FOUND)
    .flatMap((error) => error.context?.ids ?? []);
}

function retryDelay(
  failure: HubspotFailure,
  attempt: number,
  retry: RetrySettings,
  limit: RollingWindowLimit,
): number | null {
  const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  const jittered = backoff / 2 + Math.random() * (backoff / 2);
  switch (failure.kind) {
    case 'rate_limited':
      if (failure.retryAfterMs !== null) return Math.min(retry.maxDelayMs, failure.retryAfterMs);
      if (failure.policy !== null) {
        // Wait what the policy in the 429 says: a secondly limit frees in a second, whatever interval
        // headers (which describe the burst policy) came along; a rolling window once it has moved on.
        const policyMs = POLICY_INTERVAL_MS[failure.policy];
        const intervalMs =
          failure.policy === 'SECONDLY'
            ? (policyMs as number)
            : (failure.intervalMs ?? policyMs ?? limit.windowMs);
        return Math.min(retry.maxDelayMs, intervalMs);
      }
      return jittered;
    case 'server':
    case 'network':
      return jittered;
    case 'daily_limit':
    case 'client':
      return null;
  }
}

function toApiError(operation: string, failure: HubspotFailure, cause: unknown): HubspotApiError {
  const body = (cause as { body?: { message?: string; category?: string; correlationId?: string } } | null)
    ?.body;
  const statusCode =
    failure.kind === 'client' || failure.kind === 'server'
      ? failure.statusCode
      : failure.kind === 'network'
        ? 0
        : 429;
  return new HubspotApiError({
    statusCode,
    message: `${operation} failed: ${body?.message ?? (failure.kind === 'network' ? failure.code : failure.kind)}`,
    category: body?.category ?? null,
    correlationId: body?.correlationId ?? null,
    isRetryable: failure.kind !== 'client',
    cause,
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
