import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithPublished } from './check-against-published.js';

const ours = JSON.parse(readFileSync(new URL('./hubspot-crm-v3.openapi.json', import.meta.url), 'utf8'));

describe('compareWithPublished', () => {
  it('finds no difference between a document and itself', () => {
    expect(compareWithPublished(ours, [structuredClone(ours)])).toEqual([]);
  });

  it('reports a required field, an enum value, a type or an operation that differ from the published spec', () => {
    const published = structuredClone(ours);
    const schemas = published.components.schemas;
    schemas.PublicObjectSearchRequest.required = schemas.PublicObjectSearchRequest.required.filter(
      (name: string) => name !== 'after',
    );
    schemas.Filter.properties.operator.enum.push('STARTS_WITH');
    schemas.SimplePublicObject.properties.id.type = 'integer';
    delete published.paths['/crm/v3/objects/contacts/search'];
    const problems = compareWithPublished(ours, [published]);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PublicObjectSearchRequest: required/);
    expect(problems.join('\n')).toMatch(/Filter\.operator: enum/);
    expect(problems.join('\n')).toMatch(/SimplePublicObject\.id: type/);
    expect(problems.join('\n')).toMatch(/POST \/crm\/v3\/objects\/contacts\/search is not published/);
  });
});
