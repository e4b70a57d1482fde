// The ratio bench's fake internet in a process of its own, as real mail servers run apart from the prober and the
// engine: their CPU does not share the event loop being measured. Started by bench/job-vs-engine.ts (fork + IPC).
import { startFakeInternet } from '@mailprobe/test-kit';

type Domains = Parameters<typeof startFakeInternet>[0]['domains'];
type Servers = Awaited<ReturnType<typeof startFakeInternet>>['smtp'];

/** What the parent asks. */
export type RatioInternetRequest =
  | { type: 'start'; domains: Domains }
  | { type: 'timeline'; since: number }
  | { type: 'close' };

/** What this process answers. */
export type RatioInternetReply =
  | { type: 'ready'; engineOptions: Awaited<ReturnType<typeof startFakeInternet>>['engineOptions'] }
  | { type: 'timeline'; text: string };

/** Bucket of the session timeline. */
const TIMELINE_BUCKET_MS = 250;

/**
 * The SMTP sessions started since `since` (ms of the epoch): first start and last end (ms from `since`), how many,
 * and per TIMELINE_BUCKET_MS the MX servers busy (at least one session open) and the most sessions one server had.
 */
function sessionTimeline(servers: Servers, since: number): string {
  const perServer = [...new Set(Object.values(servers))].map((server) =>
    server.sessions.filter((session) => session.startedAt >= since),
  );
  const all = perServer.flat();
  if (all.length === 0) return 'sessions: none';
  const first = Math.min(...all.map((session) => session.startedAt)) - since;
  const last = Math.max(...all.map((session) => session.endedAt ?? Date.now())) - since;
  const busy: number[] = [];
  let mostPerServer = 0;
  for (let from = 0; from < last; from += TIMELINE_BUCKET_MS) {
    let servers = 0;
    for (const sessions of perServer) {
      const open = sessions.filter(
        (session) =>
          session.startedAt - since < from + TIMELINE_BUCKET_MS &&
          (session.endedAt ?? Number.POSITIVE_INFINITY) - since > from,
      ).length;
      if (open > 0) servers += 1;
    }
    busy.push(servers);
  }
  for (const sessions of perServer) {
    const edges = sessions.flatMap((session) => [
      [session.startedAt, 1],
      [session.endedAt ?? Number.POSITIVE_INFINITY, -1],
    ]);
    edges.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
    let open = 0;
    for (const [, step] of edges) {
      open += step as number;
      mostPerServer = Math.max(mostPerServer, open);
    }
  }
  return (
    `sessions: ${all.length}, first opened at ${first} ms, last closed at ${last} ms, at most ${mostPerServer} at ` +
    `one server; servers busy per ${TIMELINE_BUCKET_MS} ms: ${busy.join(' ')}`
  );
}

let internet: Awaited<ReturnType<typeof startFakeInternet>> | null = null;
const reply = (message: RatioInternetReply) => process.send?.(message);

process.on('message', async (message: RatioInternetRequest) => {
  if (message.type === 'start') {
    internet = await startFakeInternet({ domains: message.domains });
    reply({ type: 'ready', engineOptions: internet.engineOptions });
  } else if (message.type === 'timeline' && internet) {
    reply({ type: 'timeline', text: sessionTimeline(internet.smtp, message.since) });
  } else if (message.type === 'close') {
    await internet?.close();
    process.exit(0);
  }
});
