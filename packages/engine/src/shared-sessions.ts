import type { ParsedAddress } from '@mailprobe/core';
import { abortError, linkSignals, onAbort } from './abort.js';
import { type EgressRouter, type ProxyUse, proxyEgressKey } from './egress/egress-router.js';
import type { EngineOptions } from './options.js';
import type { HeloNames } from './pool/helo-names.js';
import type { MxLimiter } from './pool/mx-limiter.js';
import type { Release, Semaphore } from './pool/semaphore.js';
import type { SourcePool } from './pool/source-pool.js';
import {
  type GroupOutcome,
  type RecipientGroup,
  runSmtpSession,
  type SessionIdentity,
  type SessionOutcome,
} from './smtp/index.js';
import { createTlsSessionStore } from './smtp/tls-sessions.js';

/** One MX address to connect to, under the name it was found by. */
export interface Target {
  host: string;
  ip: string;
  family: 4 | 6;
}

/** One domain's recipients for one MX target: what `probeChunk` asks of a session. */
export interface SessionRequest {
  domain: string;
  target: Target;
  recipients: readonly ParsedAddress[];
  /** Asked with the recipients unless the session already asked one for this domain. */
  catchAllProbe: ParsedAddress | undefined;
  /** Sources this MX refused for this domain's recipients: a session from one of them is not joined. */
  refusedSources: ReadonlySet<string> | undefined;
  signal: AbortSignal | undefined;
}

export type SessionResult =
  | { kind: 'no_source' }
  | {
      kind: 'session';
      /** The request's own view: its recipients, its domain's catch-all reply, the failure that hit its transaction. */
      outcome: SessionOutcome<ParsedAddress>;
      /** Some RCPT of the session (of any domain) was answered: a cut session is worth resuming. */
      sessionProgressed: boolean;
      port: number;
      sourceAddress: string | undefined;
      heloName: string;
      queuedMs: number;
      /** The SOCKS5 egress that carried the session (or failed to), when one did. */
      proxy: ProxyUse | null;
    };

/** What the sessions share with the rest of the SMTP stage. */
export interface SharedSessionsContext {
  options: EngineOptions;
  pool: SourcePool;
  heloNames: HeloNames;
  limiter: MxLimiter;
  sessions: Semaphore;
  egress: EgressRouter;
}

interface Waiter {
  request: SessionRequest;
  enqueuedAt: number;
  /** Aborted when a session takes the request: its own wait for a slot ends. */
  taken: AbortController;
  resolve: (result: SessionResult) => void;
  reject: (error: unknown) => void;
  result: Promise<SessionResult>;
}

/** A session while it can still take requests for its address. */
interface OpenSession {
  signal: AbortSignal | undefined;
  sourceAddress: string | undefined;
  recipientsLeft: () => number;
  /** False once it declined to take more (its refusal cap is half spent) or ended. */
  accepting: boolean;
  ended: Promise<void>;
}

/** Resolves when `waiter` is taken by a session or `ended` settles; rejects when `signal` aborts. */
function untilTakenOr(waiter: Waiter, ended: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (waiter.taken.signal.aborted) return Promise.resolve();
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      forgetTaken();
      forgetAbort?.();
      resolve();
    };
    const forgetTaken = onAbort(waiter.taken.signal, done);
    const forgetAbort = signal
      ? onAbort(signal, () => {
          forgetTaken();
          reject(abortError(signal));
        })
      : undefined;
    ended.then(done, done);
  });
}

/** A request's place in a session: its group and its slice of the group's recipients. */
interface Member {
  waiter: Waiter;
  group: number;
  offset: number;
  queuedMs: number;
}

const MX_SLOT_LINGER_MS = 20;
// Why a request's own wait for a slot ends: a session took it. Nobody reads it (the wait's rejection is dropped), and
// one shared reason spares the DOMException, stack trace included, that `abort()` without one builds every time.
const TAKEN = new Error('taken by a shared session');
// Rate-limit key for connections whose source the OS picks.
const OS_CHOSEN_SOURCE = 'os';

/**
 * Shares SMTP sessions among the domains whose MX is the same address. Each request waits for a session slot at
 * its MX (per host name and per address); whoever gets one opens the session and, between transactions, takes
 * the requests still waiting for that address: one transaction per domain (same-domain requests merged, one
 * catch-all probe per domain), RSET between, within `recipientsPerSession` and the session's refusal cap.
 * A request taken by a session stops waiting for its own slot, so a shared address sees fewer connections.
 */
export class SharedSessions {
  readonly #context: SharedSessionsContext;
  readonly #waiting = new Map<string, Waiter[]>();
  readonly #open = new Map<string, Set<OpenSession>>();
  /** The last TLS ticket per server: the next session there resumes instead of a full handshake. */
  readonly #tlsSessions = createTlsSessionStore();

  constructor(context: SharedSessionsContext) {
    this.#context = context;
  }

  /** Runs the request in a session of its own or in one already open at the same MX address. */
  async run(request: SessionRequest): Promise<SessionResult> {
    const waiter = this.#enqueue(request);
    const { signal, unlink } = request.signal
      ? linkSignals(request.signal, waiter.taken.signal)
      : { signal: waiter.taken.signal, unlink: () => {} };
    try {
      return await this.#acquireAndLead(waiter, signal);
    } finally {
      unlink();
    }
  }

  async #acquireAndLead(waiter: Waiter, signal: AbortSignal): Promise<SessionResult> {
    const { limiter } = this.#context;
    const { request } = waiter;
    let release: Release;
    for (;;) {
      try {
        release = await limiter.acquire({ host: request.target.host, ip: request.target.ip }, { signal });
      } catch (error) {
        if (waiter.taken.signal.aborted) return waiter.result;
        this.#dequeue(waiter);
        throw error;
      }
      if (waiter.taken.signal.aborted) {
        release();
        return waiter.result;
      }
      // A session open at this address that can still take this request will, between two of its transactions:
      // one connection instead of two. The slot goes back until that session takes the request or ends. But
      // when more work waits for the address than this request, the slot is worth a second session: the two
      // share the queue, and each still ends at its refusal cap, so the servers see no more sessions in all.
      const open = this.#openSessionFor(waiter);
      if (!open || this.#waitingAt(request.target.ip) > 1) break;
      release();
      try {
        await untilTakenOr(waiter, open.ended, request.signal);
      } catch (error) {
        this.#dequeue(waiter);
        throw error;
      }
      if (waiter.taken.signal.aborted) return waiter.result;
    }
    this.#dequeue(waiter);
    try {
      await this.#lead(waiter);
    } catch (error) {
      waiter.reject(error);
    } finally {
      // A server counts our connection until it has processed our FIN; keeping the slot a moment longer
      // means it never sees the next connection overlap the last one, and so never more than the limit.
      setTimeout(release, MX_SLOT_LINGER_MS);
    }
    return waiter.result;
  }

  #enqueue(request: SessionRequest): Waiter {
    let resolve: (result: SessionResult) => void = () => {};
    let reject: (error: unknown) => void = () => {};
    const result = new Promise<SessionResult>((resolveResult, rejectResult) => {
      resolve = resolveResult;
      reject = rejectResult;
    });
    result.catch(() => {});
    const waiter: Waiter = {
      request,
      enqueuedAt: performance.now(),
      taken: new AbortController(),
      resolve,
      reject,
      result,
    };
    const queue = this.#waiting.get(request.target.ip) ?? [];
    queue.push(waiter);
    this.#waiting.set(request.target.ip, queue);
    return waiter;
  }

  /** Requests waiting for a session at `ip` (taken ones leave the queue). */
  #waitingAt(ip: string): number {
    return this.#waiting.get(ip)?.length ?? 0;
  }

  #dequeue(waiter: Waiter): void {
    const queue = this.#waiting.get(waiter.request.target.ip);
    if (!queue) return;
    const position = queue.indexOf(waiter);
    if (position >= 0) queue.splice(position, 1);
    if (queue.length === 0) this.#waiting.delete(waiter.request.target.ip);
  }

  /** An open session at the waiter's address that may still take it. */
  #openSessionFor(waiter: Waiter): OpenSession | undefined {
    const { request } = waiter;
    for (const open of this.#open.get(request.target.ip) ?? []) {
      if (
        open.accepting &&
        open.signal === request.signal &&
        open.recipientsLeft() >= request.recipients.length &&
        this.#sourceFits(open.sourceAddress, request)
      )
        return open;
    }
    return undefined;
  }

  #sourceFits(sourceAddress: string | undefined, request: SessionRequest): boolean {
    return (
      sourceAddress === undefined ||
      (!request.refusedSources?.has(sourceAddress) &&
        !this.#context.pool.isBenched(sourceAddress, request.target.host))
    );
  }

  /** Waiting requests for `ip` this session may take (same signal, a source the MX has not refused for them). */
  #joinable(ip: string, signal: AbortSignal | undefined, sourceAddress: string | undefined): Waiter[] {
    return (this.#waiting.get(ip) ?? []).filter(
      ({ request }) =>
        request.signal === signal && !request.signal?.aborted && this.#sourceFits(sourceAddress, request),
    );
  }

  /**
   * A waiting request of another domain whose whole group (every waiting request of its domain, and its catch-all
   * probe) could not collect more than `maxRefusals` refusals.
   */
  #smallGroup(leader: Waiter, candidates: readonly Waiter[], maxRefusals: number): Waiter | undefined {
    const worstCase = new Map<string, number>();
    for (const { request } of candidates) {
      if (request.domain === leader.request.domain) continue;
      const counted = worstCase.get(request.domain) ?? (request.catchAllProbe ? 1 : 0);
      worstCase.set(request.domain, counted + request.recipients.length);
    }
    return candidates.find(
      ({ request }) =>
        request.domain !== leader.request.domain && (worstCase.get(request.domain) ?? 0) <= maxRefusals,
    );
  }

  /** Takes `first` and the waiting requests of the same domain that fit in `room` recipients. */
  #takeDomain(first: Waiter, candidates: readonly Waiter[], room: number): Waiter[] {
    const taken = [first];
    let used = first.request.recipients.length;
    for (const candidate of candidates) {
      if (candidate === first || candidate.request.domain !== first.request.domain) continue;
      if (used + candidate.request.recipients.length > room) continue;
      taken.push(candidate);
      used += candidate.request.recipients.length;
    }
    for (const waiter of taken) this.#dequeue(waiter);
    return taken;
  }

  /** Opens the session for `leader` (already out of the queue) and answers every request it serves. */
  async #lead(leader: Waiter): Promise<void> {
    const { options, pool, heloNames, limiter, sessions, egress } = this.#context;
    const { target, signal } = leader.request;
    const signalOption = signal ? { signal } : {};
    const limitTarget = { host: target.host, ip: target.ip };
    // Through a proxy the proxy is the source: its name keys politeness, its HELO name is the one presented.
    const proxy = egress.proxyFor(target.host);
    const sourceAddress = proxy
      ? undefined
      : pool.pick(target.family, target.host, leader.request.refusedSources);
    if (sourceAddress === null) {
      leader.resolve({ kind: 'no_source' });
      return;
    }
    const proxyKey = proxy ? proxyEgressKey(proxy.name) : undefined;
    // A proxy whose egress this MX refused (`blocked`) is benched for it, like a source address.
    if (proxyKey && (leader.request.refusedSources?.has(proxyKey) || pool.isBenched(proxyKey, target.host))) {
      leader.resolve({ kind: 'no_source' });
      return;
    }
    const egressKey = proxyKey ?? sourceAddress ?? OS_CHOSEN_SOURCE;
    const proxyUse: ProxyUse | null = proxy ? { name: proxy.name, failure: null, replyCode: null } : null;
    const members: Member[] = [];
    const groupDomains: string[] = [];
    let recipientsLeft = options.recipientsPerSession;

    const join = (first: Waiter, candidates: readonly Waiter[]): RecipientGroup<ParsedAddress> => {
      const taken = this.#takeDomain(
        first,
        candidates,
        Math.max(recipientsLeft, first.request.recipients.length),
      );
      const group = groupDomains.length;
      const domain = first.request.domain;
      const probedBefore = groupDomains.includes(domain);
      groupDomains.push(domain);
      const recipients: ParsedAddress[] = [];
      const now = performance.now();
      for (const waiter of taken) {
        if (waiter !== leader) waiter.taken.abort(TAKEN);
        members.push({ waiter, group, offset: recipients.length, queuedMs: now - waiter.enqueuedAt });
        recipients.push(...waiter.request.recipients);
      }
      recipientsLeft -= recipients.length;
      // One catch-all probe per domain and session: a later group of a domain already probed reads that answer.
      const probe = probedBefore
        ? undefined
        : taken.map((waiter) => waiter.request.catchAllProbe).find((candidate) => candidate !== undefined);
      return { recipients, ...(probe ? { catchAllProbe: probe } : {}) };
    };

    let markEnded: () => void = () => {};
    const open: OpenSession = {
      signal,
      sourceAddress: proxyKey ?? sourceAddress,
      recipientsLeft: () => recipientsLeft,
      accepting: true,
      ended: new Promise<void>((resolve) => {
        markEnded = resolve;
      }),
    };
    // Open from here, before its waits (HELO name, connection rate, session slot): a request for this address that
    // gets a slot meanwhile waits to be taken by it instead of opening a session of its own. With a fleet's limiter
    // each of those waits is a round trip to Redis, and requests left over by sessions that their refusal cap had
    // ended opened short sessions of their own (297 sessions on the real-Postfix bench, where 250 suffice).
    const openHere = this.#open.get(target.ip) ?? new Set<OpenSession>();
    openHere.add(open);
    this.#open.set(target.ip, openHere);
    let releaseSlot: (() => void) | undefined;
    try {
      const helo = proxy
        ? proxy.heloName
          ? { name: proxy.heloName, source: 'config' as const }
          : heloNames.fallback
        : sourceAddress === undefined
          ? heloNames.fallback
          : await heloNames.choose(sourceAddress);
      const identityOf = (heloName: string): SessionIdentity => ({
        heloName,
        mailFrom: options.mailFrom ?? `verify@${heloName}`,
      });
      const identity = identityOf(helo.name);
      await limiter.acquireConnection(egressKey, limitTarget, signalOption);
      releaseSlot = await sessions.acquire(signal);
      // A small group waiting here (a remainder another session left at its cap) goes first, and the leader's
      // group, which may fill the cap, last: remainders then ride in sessions that fill up, instead of ending in
      // half-empty sessions of their own at the tail of a list. Only what cannot spend more than half the cap
      // even if every RCPT were refused goes first, so the leader's group is always asked (a session starts a
      // new group while half its cap is left).
      const candidates = this.#joinable(target.ip, signal, open.sourceAddress);
      const prelude = this.#smallGroup(leader, candidates, Math.floor(options.maxRejectionsPerSession / 2));
      let leaderPending = prelude !== undefined;
      const head = join(prelude ?? leader, candidates);
      const nextGroup = (): RecipientGroup<ParsedAddress> | undefined => {
        if (leaderPending) {
          leaderPending = false;
          return join(leader, this.#joinable(target.ip, signal, open.sourceAddress));
        }
        const candidates =
          signal?.aborted || recipientsLeft <= 0 ? [] : this.#joinable(target.ip, signal, open.sourceAddress);
        const first = candidates.find((waiter) => waiter.request.recipients.length <= recipientsLeft);
        if (first) return join(first, candidates);
        open.accepting = false;
        return undefined;
      };
      const run = (port: number, tls: boolean) =>
        runSmtpSession<ParsedAddress>({
          host: target.host,
          ip: target.ip,
          port,
          family: target.family,
          ...(sourceAddress ? { sourceAddress } : {}),
          ...identity,
          ...(proxy && proxyUse ? { dial: egress.dialer(proxy, { ip: target.ip, port }, proxyUse) } : {}),
          ...(sourceAddress === undefined && !proxy
            ? {
                identify: async (localAddress: string) =>
                  identityOf((await heloNames.forLocalAddress(localAddress)).name),
              }
            : {}),
          recipients: head.recipients,
          ...(head.catchAllProbe ? { catchAllProbe: head.catchAllProbe } : {}),
          nextGroup,
          maxRejections: options.maxRejectionsPerSession,
          timeouts: options.timeouts,
          ...signalOption,
          tls: options.starttls && tls ? { rejectUnauthorized: false, sessions: this.#tlsSessions } : false,
          // No result carries a transcript: recording one would cost every line of every session for nothing.
          transcript: false,
        });
      let last: { outcome: SessionOutcome<ParsedAddress>; port: number } | undefined;
      // Fallback ports only when none of the main ports could be reached at all.
      for (const port of [...options.ports, ...options.fallbackPorts]) {
        let outcome = await run(port, true);
        if (signal?.aborted) throw abortError(signal);
        if (outcome.connected && outcome.failure?.stage === 'starttls' && options.starttls) {
          // A broken STARTTLS is common on small servers; MTAs then deliver in plaintext, and so do we.
          await limiter.acquireConnection(egressKey, limitTarget, signalOption);
          outcome = await run(port, false);
        }
        last = { outcome, port };
        if (outcome.connected) break;
      }
      if (!last) throw new Error('No SMTP port configured');
      if (leaderPending) {
        // The session ended (refused, cut, unreachable) before the leader's group was asked: its request is
        // answered as unasked, with the session's failure, like any group the session never reached.
        leaderPending = false;
        members.push({
          waiter: leader,
          group: groupDomains.length,
          offset: 0,
          queuedMs: performance.now() - leader.enqueuedAt,
        });
      }
      this.#answer(members, last.outcome, last.port, sourceAddress, proxyUse);
    } catch (error) {
      for (const member of members) member.waiter.reject(error);
      throw error;
    } finally {
      open.accepting = false;
      openHere.delete(open);
      if (openHere.size === 0 && this.#open.get(target.ip) === openHere) this.#open.delete(target.ip);
      markEnded();
      releaseSlot?.();
    }
  }

  /** Gives every member its own view of the session. */
  #answer(
    members: readonly Member[],
    outcome: SessionOutcome<ParsedAddress>,
    port: number,
    sourceAddress: string | undefined,
    proxy: ProxyUse | null,
  ): void {
    const groups: GroupOutcome<ParsedAddress>[] = outcome.groups;
    const sessionProgressed = groups.some(
      (group) => group.catchAll !== null || group.recipients.some((recipient) => recipient.reply !== null),
    );
    const probeReplies = new Map<string, GroupOutcome<ParsedAddress>['catchAll']>();
    for (const member of members) {
      const group = groups[member.group];
      if (group?.catchAll) probeReplies.set(member.waiter.request.domain, group.catchAll);
    }
    for (const member of members) {
      const { request } = member.waiter;
      const group = groups[member.group] ?? {
        recipients: [],
        catchAll: null,
        failure: outcome.failure,
      };
      const recipients = request.recipients.map(
        (address, index) =>
          group.recipients[member.offset + index] ?? {
            address,
            reply: null,
            skipped: 'session_ended' as const,
          },
      );
      member.waiter.resolve({
        kind: 'session',
        outcome: {
          ...outcome,
          recipients,
          catchAll: group.catchAll ?? probeReplies.get(request.domain) ?? null,
          failure: group.failure,
          groups: [group],
        },
        sessionProgressed,
        port,
        sourceAddress,
        heloName: outcome.heloName,
        queuedMs: member.queuedMs,
        proxy: proxy ? { ...proxy } : null,
      });
    }
  }
}
