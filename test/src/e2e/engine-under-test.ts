// The engine devDepends on the test kit (its benchmark runs on the fake internet), so the kit cannot
// depend back on the engine without a package cycle; the e2e tests import its source by path instead.
export * from '../../../packages/engine/src/index.js';
