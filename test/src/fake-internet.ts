import { createServer } from 'node:net';
import { canonicalName } from './dns/answer.js';
import { type FakeDns, startFakeDns } from './dns/fake-dns.js';
import type { FakeZone } from './dns/fake-zone.js';
import { FakeNetworkError } from './errors.js';
import { listen, MAX_BIND_ATTEMPTS, randomLoopbackAddress } from './net/loopback.js';
import { startFakeSmtp } from './smtp/fake-smtp.js';
import type { FakeSmtpOptions, FakeSmtpServer } from './smtp/fake-smtp-options.js';

export interface FakeMx {
  host: string;
  /** Default: 10 × (position in the list + 1), so the list order is the preference order. */
  priority?: number;
  /** Options of the server behind this MX (default: a normal server); false: the name resolves, nothing listens. */
  smtp?: FakeSmtpOptions | false;
  /**
   * MX hosts naming the same `server` share one SMTP server on one address (many MX names, one machine, as at
   * hosting providers); its options are given once, on any of them. Default: the host name (a server of its own).
   */
  server?: string;
}

export interface FakeDomain extends Omit<FakeZone, 'mx'> {
  mx?: FakeMx[];
}

export interface FakeInternetOptions {
  domains: Record<string, FakeDomain>;
  /** More names (source addresses' PTR, their A records…); they override generated records of the same name. */
  extraZones?: Record<string, FakeZone>;
}

export interface FakeInternet {
  dns: FakeDns;
  /** The one port every fake MX listens on. */
  port: number;
  /** By MX host name (lower-case); names sharing a `server` map to the same object. */
  smtp: Record<string, FakeSmtpServer>;
  engineOptions: {
    dnsServers: string[];
    allowPrivateTargets: true;
    ports: number[];
    fallbackPorts: number[];
  };
  close(): Promise<void>;
}

const MX_PRIORITY_STEP = 10;

interface MxPlan {
  /** The server's key: its `server` name, else its only MX host name. */
  name: string;
  options: FakeSmtpOptions | false;
  /** Every MX host name served by it. */
  hosts: string[];
}

/** One server per MX host name (or per `server`); named twice, it must get the same options (or none). */
function planMxHosts(domains: Record<string, FakeDomain>): MxPlan[] {
  const plans = new Map<string, { options: FakeSmtpOptions | false | undefined; hosts: Set<string> }>();
  for (const [domain, { mx = [] }] of Object.entries(domains)) {
    for (const { host, smtp, server } of mx) {
      const name = canonicalName(server ?? host);
      const plan = plans.get(name);
      if (plan === undefined) {
        plans.set(name, { options: smtp, hosts: new Set([canonicalName(host)]) });
      } else {
        plan.hosts.add(canonicalName(host));
        if (smtp === undefined) continue;
        if (plan.options !== undefined && plan.options !== smtp) {
          throw new FakeNetworkError(
            'conflicting_mx_options',
            `MX host ${name} (in ${domain}) is given different smtp options in two places`,
          );
        }
        plan.options = smtp;
      }
    }
  }
  // Servers with a fixed address go first: they cannot move to another address if the port is taken there.
  return [...plans]
    .map(([name, { options, hosts }]) => ({ name, options: options ?? {}, hosts: [...hosts] }))
    .sort(
      (a, b) =>
        Number(b.options !== false && b.options.host !== undefined) -
        Number(a.options !== false && a.options.host !== undefined),
    );
}

/** A port nothing listens on (for a fake internet whose every MX is dead). */
async function unusedPort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, randomLoopbackAddress(), 0);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Start every listening MX on one shared port; retry the whole allocation if a fixed address collides. */
async function startServers(
  plans: readonly MxPlan[],
): Promise<{ port: number; servers: Map<string, FakeSmtpServer> }> {
  for (let attempt = 1; ; attempt++) {
    const servers = new Map<string, FakeSmtpServer>();
    let port = 0;
    try {
      for (const { name, options } of plans) {
        if (options === false) continue;
        const server = await startFakeSmtp({ hostname: name, ...options, port });
        servers.set(name, server);
        port = server.port;
      }
      return { port: port === 0 ? await unusedPort() : port, servers };
    } catch (error) {
      await Promise.all([...servers.values()].map((server) => server.close()));
      const retryable = FakeNetworkError.isInstance(error) && error.code === 'address_allocation_failed';
      if (!retryable || attempt >= MAX_BIND_ATTEMPTS) throw error;
    }
  }
}

/** An address for an MX where nothing listens, distinct from every live server's. */
function deadAddress(taken: ReadonlySet<string>): string {
  for (;;) {
    const candidate = randomLoopbackAddress();
    if (!taken.has(candidate)) return candidate;
  }
}

function buildZones(
  domains: Record<string, FakeDomain>,
  addresses: ReadonlyMap<string, string>,
  extraZones: Record<string, FakeZone>,
): Record<string, FakeZone> {
  const zones: Record<string, FakeZone> = {};
  for (const [domain, { mx, ...records }] of Object.entries(domains)) {
    const zone: FakeZone = { ...records };
    if (mx !== undefined) {
      zone.mx = mx.map(({ host, priority }, index) => ({
        exchange: canonicalName(host),
        priority: priority ?? MX_PRIORITY_STEP * (index + 1),
      }));
    }
    zones[canonicalName(domain)] = zone;
  }
  for (const [name, address] of addresses) {
    const zone = zones[name] ?? {};
    const family = address.includes(':') ? 'aaaa' : 'a';
    zones[name] = { ...zone, [family]: [...(zone[family] ?? []), address] };
  }
  for (const [name, zone] of Object.entries(extraZones)) zones[canonicalName(name)] = zone;
  return zones;
}

/** DNS + one scripted SMTP server per MX host, every SMTP server on the same port on its own loopback address. */
export async function startFakeInternet(options: FakeInternetOptions): Promise<FakeInternet> {
  const plans = planMxHosts(options.domains);
  const { port, servers } = await startServers(plans);
  const addresses = new Map<string, string>();
  const byHost = new Map<string, FakeSmtpServer>();
  const taken = new Set([...servers.values()].map((server) => server.host));
  for (const { name, options: smtp, hosts } of plans) {
    const server = servers.get(name);
    const address = server?.host ?? (smtp === false ? deadAddress(taken) : undefined);
    for (const host of hosts) {
      if (address !== undefined) addresses.set(host, address);
      if (server) byHost.set(host, server);
    }
  }
  let dns: FakeDns;
  try {
    dns = await startFakeDns({ zones: buildZones(options.domains, addresses, options.extraZones ?? {}) });
  } catch (error) {
    await Promise.all([...servers.values()].map((server) => server.close()));
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    dns,
    port,
    smtp: Object.fromEntries(byHost),
    engineOptions: { dnsServers: [dns.server], allowPrivateTargets: true, ports: [port], fallbackPorts: [] },
    close() {
      closing ??= Promise.all([dns.close(), ...[...servers.values()].map((server) => server.close())]).then(
        () => undefined,
      );
      return closing;
    },
  };
}
