// Child process of the HTTP benchmark: a prober as `mailprobe serve` runs it (info-level JSON logs on stdout,
// which the parent sends to a file), with one address already in the results cache.
// Protocol over IPC: sends { url, key, email } when ready; closes and exits on 'close' (so --cpu-prof writes its file).
import { startFakeInternet } from '@mailprobe/test-kit';
import { startProber } from '../src/index.js';

const CACHED_ADDRESS = 'hit@cached.test';

const logLevel = (process.env.BENCH_LOG_LEVEL ?? 'info') as 'info';
const internet = await startFakeInternet({
  domains: { 'cached.test': { mx: [{ host: 'mx.cached.test', smtp: { mailboxes: [CACHED_ADDRESS] } }] } },
});
const prober = await startProber({ engine: internet.engineOptions, config: { logLevel } });
const key = await prober.createKey('bench', { requestsPerMinute: 100_000_000 });
const warm = await fetch(`${prober.url}/v1/verify`, {
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: JSON.stringify({ email: CACHED_ADDRESS }),
});
if (!warm.ok) throw new Error(`warm-up failed: ${warm.status}`);

process.once('message', async () => {
  await prober.close();
  await internet.close();
  process.disconnect();
});
process.send?.({ url: prober.url, key, email: CACHED_ADDRESS });
