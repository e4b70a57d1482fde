import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Components } from '@hubspot/project-parsing-lib/constants';
import {
  isKnownPlatformVersion,
  parseProjectConfig,
  validateProjectConfig,
} from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CONTACT_OBJECT_TYPE_ID,
  contactEventsOf,
  EMAIL_PROPERTY,
  WebhookEventSchema,
} from '../src/webhook/events.js';
import { objectCreationEvent, objectPropertyChangeEvent } from './webhook-events.js';

const PROJECT_DIR = fileURLToPath(new URL('../hubspot-project/', import.meta.url));
const SPEC = JSON.parse(
  readFileSync(new URL('./openapi/hubspot-crm-v3.openapi.json', import.meta.url), 'utf8'),
) as {
  paths: Record<string, Record<string, { operationId: string; security: Array<Record<string, string[]>> }>>;
};
/** Every operation the enricher calls (setup, serve, backfill). */
const OPERATIONS_USED = [
  'propertyGroups.getAll',
  'propertyGroups.create',
  'properties.getAll',
  'properties.create',
  'properties.update',
  'contacts.batch.read',
  'contacts.batch.update',
  'contacts.search',
];

// The fields HubSpot's developer-platform docs mark required ("Fields marked with * are required"):
// app configuration (app-hsmeta.json) and webhooks configuration (*-hsmeta.json in webhooks/).
const Uid = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/);
const AppComponent = z.object({
  uid: Uid,
  type: z.literal('app'),
  config: z.object({
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^\S(.*\S)?$/),
    description: z.string().min(1).max(8192),
    distribution: z.enum(['private', 'marketplace']),
    auth: z.object({
      type: z.enum(['static', 'oauth']),
      requiredScopes: z.array(z.string().min(1)).min(1),
    }),
  }),
});
const WebhooksComponent = z.object({
  uid: Uid,
  type: z.literal('webhooks'),
  config: z.object({
    settings: z.object({
      targetUrl: z.url({ protocol: /^https$/ }),
      maxConcurrentRequests: z.number().int().min(5),
    }),
    subscriptions: z.object({
      crmObjects: z
        .array(
          z.object({
            subscriptionType: z.string(),
            objectType: z.string(),
            propertyName: z.string().optional(),
            active: z.boolean(),
          }),
        )
        .optional(),
    }),
  }),
});

describe('the HubSpot developer-platform project in hubspot-project/', () => {
  it('is a valid project for the current platform version (HubSpot project-parsing-lib)', () => {
    const config = parseProjectConfig(PROJECT_DIR) as { platformVersion: string; srcDir: string };
    expect(() => validateProjectConfig(config, PROJECT_DIR)).not.toThrow();
    expect(isKnownPlatformVersion(config.platformVersion)).toBe(true);
    expect(config.srcDir).toBe('src');
  });

  it('translates, as `hs project upload` does, into an app with static auth and a webhooks component', async () => {
    const { platformVersion, srcDir } = parseProjectConfig(PROJECT_DIR) as {
      platformVersion: string;
      srcDir: string;
    };
    // Schema validation needs HubSpot's API (an account id); the structure checks run offline.
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir: join(PROJECT_DIR, srcDir), platformVersion },
      { skipValidation: true },
    );
    expect(skippedHsMetaFiles).toEqual([]);
    const nodes = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid);
    expect(nodes.map((node) => node.componentType).sort()).toEqual(['APPLICATION', 'WEBHOOKS']);
    for (const node of nodes) {
      expect(validateUid(node.uid)).toBeUndefined();
      const type = node.componentType === 'APPLICATION' ? 'app' : 'webhooks';
      const component = Components[type as keyof typeof Components] as {
        dir: string;
        parentComponent?: string;
      };
      const parentDir = component.parentComponent
        ? (Components[component.parentComponent as keyof typeof Components] as { dir: string }).dir
        : '';
      expect(node.metaFilePath.startsWith(`${join(parentDir, component.dir)}/`)).toBe(true);
    }
    const webhooks = nodes.find((node) => node.componentType === 'WEBHOOKS');
    const app = nodes.find((node) => node.componentType === 'APPLICATION');
    expect(webhooks?.componentDeps).toMatchObject({ app: app?.uid });
  });

  const readComponent = (file: string) =>
    JSON.parse(readFileSync(join(PROJECT_DIR, 'src/app', file), 'utf8'));

  it('gives the app every field the docs mark required, static auth for one account and the scopes it calls with', () => {
    const app = AppComponent.parse(readComponent('app-hsmeta.json'));
    expect(app.config.auth.type).toBe('static');
    // Static auth installs in one account: HubSpot requires private distribution for it.
    expect(app.config.distribution).toBe('private');
    const needed = new Set<string>();
    for (const methods of Object.values(SPEC.paths)) {
      for (const operation of Object.values(methods)) {
        if (!OPERATIONS_USED.includes(operation.operationId)) continue;
        for (const requirement of operation.security)
          for (const scope of requirement.oauth2 ?? []) needed.add(scope);
      }
    }
    expect([...needed].sort()).toEqual([...app.config.auth.requiredScopes].sort());
  });

  it('subscribes to contact creation and email changes, which the receiver turns into queued contact events', () => {
    const webhooks = WebhooksComponent.parse(readComponent('webhooks/webhooks-hsmeta.json'));
    expect(webhooks.config.subscriptions.crmObjects).toEqual([
      { subscriptionType: 'object.creation', objectType: 'contact', active: true },
      {
        subscriptionType: 'object.propertyChange',
        objectType: 'contact',
        propertyName: EMAIL_PROPERTY,
        active: true,
      },
    ]);
    // What these subscriptions deliver (objectTypeId 0-1) is what the receiver accepts.
    const delivered = [
      objectCreationEvent(1, '11'),
      objectPropertyChangeEvent(2, '12', EMAIL_PROPERTY, 'a@acme.test'),
    ];
    const events = contactEventsOf(delivered.map((event) => WebhookEventSchema.parse(event)));
    expect(events.map((event) => event.kind)).toEqual(['creation', 'email_change']);
    expect(delivered.every((event) => event.objectTypeId === CONTACT_OBJECT_TYPE_ID)).toBe(true);
  });
});
