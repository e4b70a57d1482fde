export type {
  FakeContact,
  FakeHubspot,
  FakeHubspotOptions,
  FakeRateLimit,
  FakeRequestRecord,
  HeldRequests,
  InjectedRateLimit,
} from './fake-hubspot.js';
export {
  FAKE_BATCH_LIMIT,
  FAKE_SEARCH_PAGE_LIMIT,
  FAKE_SEARCH_RESULT_CAP,
  startFakeHubspot,
} from './fake-hubspot.js';
export type { FakeOption, FakeProperty, FakePropertyGroup } from './fake-properties.js';
export type { SpecViolation } from './spec-validator.js';
