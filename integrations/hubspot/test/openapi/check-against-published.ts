import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Checks this folder's OpenAPI document against HubSpot's published CRM v3 specs: every operation,
 * request body, response and schema it describes must exist there with the same required fields,
 * types, formats and enums. HubSpot's files are proprietary (not licensed for redistribution), so they
 * are not vendored; run this with a checkout of github.com/HubSpot/HubSpot-public-api-spec-collection:
 *
 *   node --import tsx integrations/hubspot/test/openapi/check-against-published.ts <checkout>
 */

type Json = Record<string, unknown>;
const PUBLISHED = {
  contacts: 'PublicApiSpecs/CRM/Contacts/Rollouts/424/v3/contacts.json',
  properties: 'PublicApiSpecs/CRM/Properties/Rollouts/145899/v3/properties.json',
} as const;

/** Differences between our document and the published ones; empty when ours is faithful. */
export function compareWithPublished(ours: Json, published: Json[]): string[] {
  const problems: string[] = [];
  const schemasOf = (document: Json) => ((document.components as Json).schemas ?? {}) as Record<string, Json>;
  const publishedSchema = (name: string): Json | undefined =>
    published.map(schemasOf).find((schemas) => schemas[name] !== undefined)?.[name];
  const ourSchemas = schemasOf(ours);

  for (const [name, schema] of Object.entries(ourSchemas)) {
    const theirs = publishedSchema(name);
    if (theirs === undefined) {
      problems.push(`schema ${name} is not published`);
      continue;
    }
    const required = (value: Json) => JSON.stringify([...((value.required as string[]) ?? [])].sort());
    if (required(schema) !== required(theirs)) {
      problems.push(`schema ${name}: required ${required(schema)} ≠ published ${required(theirs)}`);
    }
    const theirProperties = (theirs.properties ?? {}) as Record<string, Json>;
    for (const [property, definition] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      const published = theirProperties[property];
      if (published === undefined) {
        problems.push(`schema ${name}: property ${property} is not published`);
        continue;
      }
      for (const key of ['type', 'format', '$ref'] as const) {
        if (definition[key] !== undefined && definition[key] !== published[key])
          problems.push(
            `schema ${name}.${property}: ${key} ${String(definition[key])} ≠ ${String(published[key])}`,
          );
      }
      const items = (value: Json) => {
        const item = (value.items ?? {}) as Json;
        return JSON.stringify([item.type, item.format, item.$ref]);
      };
      if (definition.items !== undefined && items(definition) !== items(published))
        problems.push(`schema ${name}.${property}: items ${items(definition)} ≠ ${items(published)}`);
      const enumOf = (value: Json) => JSON.stringify([...((value.enum as string[]) ?? [])].sort());
      if (definition.enum !== undefined && enumOf(definition) !== enumOf(published))
        problems.push(`schema ${name}.${property}: enum ${enumOf(definition)} ≠ ${enumOf(published)}`);
    }
  }

  const publishedPaths = Object.assign({}, ...published.map((document) => document.paths as Json)) as Record<
    string,
    Record<string, Json>
  >;
  for (const [path, methods] of Object.entries(ours.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const theirs = publishedPaths[path]?.[method];
      if (theirs === undefined) {
        problems.push(`${method.toUpperCase()} ${path} is not published`);
        continue;
      }
      const bodyRef = (value: Json) =>
        JSON.stringify((value.requestBody as Json | undefined)?.content ?? null).match(
          /"\$ref":"([^"]+)"/,
        )?.[1];
      if (bodyRef(operation) !== bodyRef(theirs))
        problems.push(`${method.toUpperCase()} ${path}: body ${bodyRef(operation)} ≠ ${bodyRef(theirs)}`);
      const responses = (value: Json) => value.responses as Record<string, Json>;
      for (const [status, response] of Object.entries(responses(operation))) {
        const published = responses(theirs)[status];
        const refOf = (value: Json | undefined) =>
          JSON.stringify(value ?? null).match(/"\$ref":"([^"]+)"/)?.[1];
        if (published === undefined || refOf(response) !== refOf(published))
          problems.push(
            `${method.toUpperCase()} ${path} ${status}: ${refOf(response)} ≠ ${refOf(published)}`,
          );
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const checkout = process.argv[2];
  if (checkout === undefined) {
    process.stderr.write('usage: check-against-published.ts <HubSpot-public-api-spec-collection checkout>\n');
    process.exit(2);
  }
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Json;
  const ours = read(fileURLToPath(new URL('./hubspot-crm-v3.openapi.json', import.meta.url)));
  const problems = compareWithPublished(ours, [
    read(join(checkout, PUBLISHED.contacts)),
    read(join(checkout, PUBLISHED.properties)),
  ]);
  for (const problem of problems) process.stdout.write(`${problem}\n`);
  process.stdout.write(
    problems.length === 0 ? 'matches the published specs\n' : `${problems.length} differences\n`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}
