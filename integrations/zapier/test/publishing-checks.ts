// Offline stand-in for the style half of `zapier validate`: the real style checks run on Zapier's servers (the
// CLI posts the definition to them), which this machine cannot reach. These are the rules of Zapier's published
// integration checks and style guide that a definition alone can break; each problem names its rule.

type Definition = Record<string, unknown>;
interface Field {
  key?: string;
  label?: string;
  helpText?: string;
  type?: string;
}
interface Operation {
  type?: string;
  perform?: unknown;
  performList?: unknown;
  performSubscribe?: unknown;
  performUnsubscribe?: unknown;
  inputFields?: unknown[];
  outputFields?: Field[];
  sample?: Record<string, unknown>;
}
interface Component {
  key: string;
  noun?: string;
  display?: { label?: string; description?: string; hidden?: boolean };
  operation?: Operation;
}

const KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/;
/** Small words that stay lower case inside a title (AP style, which Zapier's style guide follows). */
const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'but',
  'by',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);
/** Input field keys that belong in the authentication, never in an action (Zapier check D001). */
const CREDENTIAL_KEYS = /^(api_?key|apikey|token|access_?token|secret|password)$/i;
const MIN_DESCRIPTION = 20;
const MAX_DESCRIPTION = 1000;
const MIN_HELP_TEXT = 10;
const MAX_HELP_TEXT = 1000;
const DESCRIPTION_START: Record<string, RegExp> = {
  triggers: /^Triggers (when|instantly when|on)\b/,
  searches: /^Finds\b/,
};

function isTitleCase(text: string): boolean {
  return text.split(/\s+/).every((word, index) => {
    const letters = word.replace(/^[^A-Za-z]+/, '');
    if (letters === '') return true;
    if (index > 0 && SMALL_WORDS.has(letters.toLowerCase())) return letters === letters.toLowerCase();
    return letters[0] === letters[0]?.toUpperCase();
  });
}

function checkFields(where: string, fields: unknown[], problems: string[]): void {
  for (const raw of fields) {
    if (typeof raw !== 'object' || raw === null) continue; // a function: dynamic fields, checked at run time
    const field = raw as Field;
    const name = `${where} field "${field.key}"`;
    if (!field.label) problems.push(`${name}: needs a label`);
    else if (!isTitleCase(field.label)) problems.push(`${name}: label "${field.label}" is not in Title Case`);
    const help = field.helpText ?? '';
    if (help.length < MIN_HELP_TEXT || help.length > MAX_HELP_TEXT)
      problems.push(`${name}: help text must be ${MIN_HELP_TEXT}–${MAX_HELP_TEXT} characters`);
    else if (!/[.!?)]$/.test(help.trim())) problems.push(`${name}: help text should be full sentences`);
  }
}

function checkComponent(kind: string, component: Component, problems: string[]): void {
  const where = `${kind}.${component.key}`;
  const { display, operation } = component;
  if (!KEY.test(component.key))
    problems.push(`${where}: key must start with a letter and hold only a-z, 0-9, _`);
  if (!component.noun) problems.push(`${where}: needs a noun`);
  else if (!isTitleCase(component.noun))
    problems.push(`${where}: noun "${component.noun}" is not in Title Case`);
  if (!display?.label) problems.push(`${where}: needs a label`);
  else {
    if (!isTitleCase(display.label)) problems.push(`${where}: label "${display.label}" is not in Title Case`);
    if (display.label.endsWith('.')) problems.push(`${where}: label ends with a period`);
  }
  const description = display?.description ?? '';
  if (description.length < MIN_DESCRIPTION || description.length > MAX_DESCRIPTION)
    problems.push(`${where}: description must be ${MIN_DESCRIPTION}–${MAX_DESCRIPTION} characters`);
  if (!description.trim().endsWith('.')) problems.push(`${where}: description should end with a period`);
  const start = DESCRIPTION_START[kind];
  if (start && !start.test(description))
    problems.push(`${where}: description should start like "${start.source.replace(/\\b|[\\^()|]/g, '')}"`);
  if (/\bzapier\b/i.test(description)) problems.push(`${where}: description should not mention Zapier`);
  if (!operation) {
    problems.push(`${where}: needs an operation`);
    return;
  }
  const inputFields = operation.inputFields ?? [];
  for (const field of inputFields) {
    const key = (field as Field | null)?.key;
    if (typeof key === 'string' && CREDENTIAL_KEYS.test(key))
      problems.push(
        `${where}: asks for "${key}" in the action; credentials belong in the authentication (D001)`,
      );
  }
  checkFields(where, inputFields, problems);
  if (!display?.hidden) {
    const sample = operation.sample;
    if (!sample || Object.keys(sample).length === 0) problems.push(`${where}: needs sample data`);
    const outputs = operation.outputFields ?? [];
    if (outputs.length === 0) problems.push(`${where}: needs output fields with labels`);
    const labelled = new Set(outputs.filter((field) => field.label).map((field) => field.key));
    for (const key of Object.keys(sample ?? {}))
      if (!labelled.has(key)) problems.push(`${where}: sample field "${key}" has no labelled output field`);
    if (kind === 'triggers' && sample && !('id' in sample))
      problems.push(`${where}: sample needs an "id" (what Zapier de-duplicates on)`);
  }
  if (kind === 'triggers' && operation.type === 'hook') {
    for (const method of ['performSubscribe', 'performUnsubscribe', 'perform', 'performList'] as const)
      if (!operation[method]) problems.push(`${where}: a REST hook trigger needs ${method}`);
  }
}

/** Every problem the published checks would report on `app` (a loaded app definition); [] when clean. */
export function publishingProblems(app: Definition): string[] {
  const problems: string[] = [];
  const auth = app.authentication as {
    type?: string;
    fields?: Field[];
    test?: unknown;
    connectionLabel?: unknown;
  };
  if (!auth) problems.push('authentication: missing');
  else {
    if (!auth.test) problems.push('authentication: needs a test request');
    if (!auth.connectionLabel) problems.push('authentication: needs a connection label');
    checkFields('authentication', auth.fields ?? [], problems);
  }
  for (const kind of ['triggers', 'searches', 'creates']) {
    const components = (app[kind] ?? {}) as Record<string, Component>;
    for (const [key, component] of Object.entries(components)) {
      if (component.key !== key)
        problems.push(`${kind}.${key}: key differs from its name (${component.key})`);
      checkComponent(kind, component, problems);
    }
  }
  return problems;
}
