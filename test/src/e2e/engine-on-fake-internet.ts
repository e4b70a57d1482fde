import { afterEach } from 'vitest';
import {
  type FakeDomain,
  type FakeInternet,
  type FakeInternetOptions,
  type FakeZone,
  startFakeInternet,
} from '../index.js';
import {
  createEngine,
  type Engine,
  type EngineOptionsInput,
  type SmtpTimeouts,
} from './engine-under-test.js';

const HELO_NAME = 'probe.mailprobe.test';

/** `count` addresses at `domain`: user0@domain, user1@domain, … */
export function mailboxes(domain: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `user${index}@${domain}`);
}

/**
 * For one describe block: starters for a fake internet and an engine, each closed by an afterEach this
 * registers. `start` opens both, the engine pointed at the fake internet with `timeouts` and a fixed HELO name.
 */
export function engineOnFakeInternet(timeouts: SmtpTimeouts) {
  let internet: FakeInternet | undefined;
  let engine: Engine | undefined;

  afterEach(async () => {
    await engine?.close();
    await internet?.close();
    engine = undefined;
    internet = undefined;
  });

  async function startInternet(options: FakeInternetOptions): Promise<FakeInternet> {
    internet = await startFakeInternet(options);
    return internet;
  }

  function startEngine(options: EngineOptionsInput): Engine {
    engine = createEngine(options);
    return engine;
  }

  async function start(
    domains: Record<string, FakeDomain>,
    options: EngineOptionsInput = {},
    extraZones: Record<string, FakeZone> = {},
  ): Promise<{ internet: FakeInternet; engine: Engine }> {
    const started = await startInternet({ domains, extraZones });
    return {
      internet: started,
      engine: startEngine({ ...started.engineOptions, defaultHeloName: HELO_NAME, timeouts, ...options }),
    };
  }

  return { start, startInternet, startEngine };
}
