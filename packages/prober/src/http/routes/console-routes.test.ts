import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../start-prober.js';

let prober: StartedProber;

beforeAll(async () => {
  prober = await startProber();
});

afterAll(async () => {
  await prober?.close();
});

const get = (path: string) => fetch(`${prober.url}${path}`, { redirect: 'manual' });

describe('console folders', () => {
  it('sends /console/docs and /console/docs/ to the API reference at /docs', async () => {
    for (const path of ['/console/docs', '/console/docs/']) {
      const response = await get(path);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/docs');
    }
  });

  it('answers a folder of the console with the documented 404, never 400 "Forbidden"', async () => {
    for (const path of ['/console/assets/', '/console//', '/console/docs//']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: 'not_found', message: expect.stringContaining(path) },
      });
    }
  });

  it('still serves the files in those folders', async () => {
    const response = await get('/console/docs/redoc.standalone.js');
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });
});
