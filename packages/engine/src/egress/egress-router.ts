import type { Socket } from 'node:net';
import { providerOfHost } from '@mailprobe/core';
import { dialSocks5, ProxyError, type ProxyFailureCode, type ProxyTimeouts } from './socks5-dial.js';
import { DIRECT, type EgressRoutes, type Socks5Proxy } from './socks5-proxy.js';

/** What `/readyz` and doctor show of one proxy (no password, ever). */
export interface ProxyStatus {
  name: string;
  url: string;
  benched: boolean;
  /** When a benched proxy is tried again (ISO 8601). */
  benchedUntil: string | null;
  lastFailure: { code: ProxyFailureCode; replyCode: number | null; at: string } | null;
}

/**
 * Where a fleet shares proxy benching (the prober plugs a Redis one): a proxy benched by one node is left unused by
 * every node. Failures of the store are the caller's to swallow: a proxy is then judged by this node alone.
 */
export interface ProxyBench {
  /** Marks `name` benched until `untilMs` (epoch milliseconds) for every node. */
  bench(name: string, untilMs: number): Promise<void>;
  /** Until when `name` is benched (epoch milliseconds); 0 when it is not. */
  benchedUntil(name: string): Promise<number>;
}

/** The proxy evidence a session reports: which egress carried it and why it failed, if it did. */
export interface ProxyUse {
  name: string;
  failure: ProxyFailureCode | null;
  replyCode: number | null;
}

/** The key a proxy egress has wherever a source address would stand: limits and refusal benching per MX. */
export function proxyEgressKey(name: string): string {
  return `proxy:${name}`;
}

interface ProxyState {
  proxy: Socks5Proxy;
  benchedUntil: number;
  lastFailure: ProxyStatus['lastFailure'];
}

/**
 * Chooses the egress of each session from the MX host's provider (`routes`, `default` last, `direct` when
 * unset), dials through the chosen proxy, and benches a proxy that failed itself (unreachable, auth refused,
 * CONNECT not allowed, stalled handshake) for `benchMs`: while benched its sessions fail at once, then the next
 * one tries it again.
 */
export class EgressRouter {
  readonly #states = new Map<string, ProxyState>();
  readonly #routes: EgressRoutes;
  readonly #timeouts: ProxyTimeouts;
  readonly #benchMs: number;
  readonly #now: () => number;
  readonly #shared: ProxyBench | undefined;

  constructor(
    proxies: readonly Socks5Proxy[],
    routes: EgressRoutes,
    options: { timeouts: ProxyTimeouts; benchMs: number; now?: () => number; shared?: ProxyBench },
  ) {
    for (const proxy of proxies) this.#states.set(proxy.name, { proxy, benchedUntil: 0, lastFailure: null });
    this.#routes = routes;
    this.#timeouts = options.timeouts;
    this.#benchMs = options.benchMs;
    this.#now = options.now ?? Date.now;
    this.#shared = options.shared;
  }

  get proxies(): Socks5Proxy[] {
    return [...this.#states.values()].map((state) => state.proxy);
  }

  /** The proxy for sessions to this MX host, or undefined for a direct session. */
  proxyFor(mxHost: string): Socks5Proxy | undefined {
    // Without proxies every route is direct: no need to ask which provider the host belongs to.
    if (this.#states.size === 0) return undefined;
    const route = this.#routes[providerOfHost(mxHost)] ?? this.#routes.default ?? DIRECT;
    return route === DIRECT ? undefined : this.#states.get(route)?.proxy;
  }

  isBenched(name: string): boolean {
    return (this.#states.get(name)?.benchedUntil ?? 0) > this.#now();
  }

  /**
   * A dial function for one session through `proxy`; `use` records what happened for the session's evidence.
   * A benched proxy fails at once with `proxy_benched`, without a connection.
   */
  dialer(
    proxy: Socks5Proxy,
    destination: { ip: string; port: number },
    use: ProxyUse,
  ): (signal: AbortSignal) => Promise<Socket> {
    return async (signal) => {
      await this.#learnSharedBench(proxy.name);
      if (this.isBenched(proxy.name)) {
        use.failure = 'proxy_benched';
        throw new ProxyError('proxy_benched', proxy.name, 'proxy_connect', 'benched after a recent failure');
      }
      try {
        const tunnel = await dialSocks5(proxy, destination, this.#timeouts, signal);
        // A fallback port that got through after a refused one: the evidence is of the session that ran.
        use.failure = null;
        use.replyCode = null;
        return tunnel;
      } catch (error) {
        if (ProxyError.isInstance(error)) {
          use.failure = error.code;
          use.replyCode = error.replyCode;
          this.#record(proxy.name, error);
        }
        throw error;
      }
    };
  }

  #record(name: string, error: ProxyError): void {
    const state = this.#states.get(name);
    if (!state) return;
    const now = this.#now();
    state.lastFailure = { code: error.code, replyCode: error.replyCode, at: new Date(now).toISOString() };
    if (!error.proxyAtFault) return;
    state.benchedUntil = now + this.#benchMs;
    // Best effort: the fleet learns of it unless its store is away, and this node has benched it anyway.
    this.#shared?.bench(name, state.benchedUntil).catch(() => {});
  }

  /** Takes a bench another node of the fleet decided; a store that does not answer changes nothing. */
  async #learnSharedBench(name: string): Promise<void> {
    const state = this.#states.get(name);
    if (!this.#shared || !state || state.benchedUntil > this.#now()) return;
    let until = 0;
    try {
      until = await this.#shared.benchedUntil(name);
    } catch {
      return;
    }
    if (until > state.benchedUntil) state.benchedUntil = until;
  }

  /** Every proxy's state, for `/readyz` detail and metrics. */
  status(): ProxyStatus[] {
    const now = this.#now();
    return [...this.#states.values()].map(({ proxy, benchedUntil, lastFailure }) => ({
      name: proxy.name,
      url: proxy.redactedUrl,
      benched: benchedUntil > now,
      benchedUntil: benchedUntil > now ? new Date(benchedUntil).toISOString() : null,
      lastFailure,
    }));
  }
}
