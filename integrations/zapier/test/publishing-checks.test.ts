import { describe, expect, it } from 'vitest';
import app from '../src/index.js';
import { publishingProblems } from './publishing-checks.js';

const copy = () =>
  structuredClone(
    JSON.parse(JSON.stringify(app, (_key, value) => (typeof value === 'function' ? 'fn' : value))),
  );

describe('the offline publishing checks', () => {
  it('find nothing on the app', () => {
    expect(publishingProblems(app as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('catch what Zapier flags: labels, descriptions, samples, credentials in actions, hook methods', () => {
    const broken = copy();
    broken.triggers.bulk_verification_completed.display.description = 'When a job finishes';
    broken.triggers.bulk_verification_completed.operation.performList = undefined;
    broken.searches.find_email_verification.display.label = 'find email verification';
    broken.creates.verify_email.operation.inputFields.push({
      key: 'api_key',
      label: 'API Key',
      helpText: 'Paste it here.',
    });
    broken.creates.verify_email.operation.sample.extra = 1;
    broken.creates.start_bulk_verification.operation.inputFields[0].helpText = 'short';
    const problems = publishingProblems(broken).join('\n');
    expect(problems).toMatch(/triggers.bulk_verification_completed: description should start like "Triggers/);
    expect(problems).toMatch(/triggers.bulk_verification_completed: description should end with a period/);
    expect(problems).toMatch(/needs performList/);
    expect(problems).toMatch(/label "find email verification" is not in Title Case/);
    expect(problems).toMatch(/asks for "api_key" in the action.*\(D001\)/);
    expect(problems).toMatch(/sample field "extra" has no labelled output field/);
    expect(problems).toMatch(/start_bulk_verification field ".*": help text must be/);
  });
});
