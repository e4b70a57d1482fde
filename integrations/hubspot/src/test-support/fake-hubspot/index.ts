export { startFakeHubspot, FAKE_BATCH_LIMIT, FAKE_SEARCH_PAGE_LIMIT, FAKE_SEARCH_RESULT_CAP } from './fake-hubspot.js';
export type {
  FakeHubspot,
  FakeHubspotOptions,
  FakeContact,
  FakeRateLimit,
  FakeRequestRecord,
  InjectedRateLimit,
} from './fake-hubspot.js';
export type { FakeProperty, FakePropertyGroup, FakeOption } from './fake-properties.js';
