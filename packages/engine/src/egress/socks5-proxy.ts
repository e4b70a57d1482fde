import { inspect } from 'node:util';
import { PROVIDERS, type Provider } from '@mailprobe/core';
import { EngineOptionsError } from '../errors.js';

/** One SOCKS5 egress as configured: a name, `socks5://[user:password@]host:port`, an optional HELO name. */
export interface ProxyOption {
  name: string;
  url: string;
  /** EHLO name for sessions through this proxy: the PTR name of the proxy's egress address. */
  heloName?: string;
}

/** Where sessions for a provider go: `direct` (the local sources) or a proxy's name. */
export type EgressRoute = 'direct' | (string & {});

/** Provider id (or `default`) → route. */
export type EgressRoutes = Partial<Record<Provider | 'default', EgressRoute>>;

export const DIRECT: EgressRoute = 'direct';
const MAX_PORT = 65_535;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * A parsed SOCKS5 proxy. The password is held in a private field: it is never enumerable, never in JSON, never in
 * `inspect` output, so no log, error, result or status page can carry it.
 */
export class Socks5Proxy {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly username: string | undefined;
  readonly heloName: string | undefined;
  readonly #password: string | undefined;

  constructor(fields: {
    name: string;
    host: string;
    port: number;
    username?: string;
    password?: string;
    heloName?: string;
  }) {
    this.name = fields.name;
    this.host = fields.host;
    this.port = fields.port;
    this.username = fields.username;
    this.heloName = fields.heloName;
    this.#password = fields.password;
  }

  /** For the SOCKS client only. */
  credentials(): { userId: string; password: string } | undefined {
    return this.username === undefined
      ? undefined
      : { userId: this.username, password: this.#password ?? '' };
  }

  /** `socks5://user:***@host:port`: the only form shown anywhere. */
  get redactedUrl(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    const auth = this.username === undefined ? '' : `${encodeURIComponent(this.username)}:***@`;
    return `socks5://${auth}${host}:${this.port}`;
  }

  toJSON(): { name: string; url: string; heloName: string | null } {
    return { name: this.name, url: this.redactedUrl, heloName: this.heloName ?? null };
  }

  toString(): string {
    return `${this.name} (${this.redactedUrl})`;
  }

  [inspect.custom](): string {
    return `Socks5Proxy ${this.toString()}`;
  }
}

/** Parses and checks one proxy option; the error names the option, never the password. */
export function parseProxy(option: ProxyOption, index: number): Socks5Proxy {
  const where = `proxies[${index}]`;
  if (!NAME.test(option.name) || option.name === DIRECT) {
    throw new EngineOptionsError(`${where}.name`, `not a usable proxy name: ${JSON.stringify(option.name)}`);
  }
  let url: URL;
  try {
    url = new URL(option.url);
  } catch {
    throw new EngineOptionsError(`${where}.url`, 'expected socks5://[user:password@]host:port');
  }
  if (url.protocol !== 'socks5:' && url.protocol !== 'socks5h:') {
    throw new EngineOptionsError(
      `${where}.url`,
      `only socks5:// proxies are supported, got ${url.protocol}//`,
    );
  }
  const port = Number(url.port);
  if (!url.hostname || !Number.isInteger(port) || port < 1 || port > MAX_PORT) {
    throw new EngineOptionsError(`${where}.url`, 'expected socks5://[user:password@]host:port with a port');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Socks5Proxy({
    name: option.name,
    host,
    port,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.username ? { password: decodeURIComponent(url.password) } : {}),
    ...(option.heloName ? { heloName: option.heloName } : {}),
  });
}

/** Checks that every route names a known provider (or `default`) and a declared proxy (or `direct`). */
export function checkRoutes(routes: EgressRoutes, proxies: readonly Socks5Proxy[]): EgressRoutes {
  const names = new Set(proxies.map((proxy) => proxy.name));
  const checked: EgressRoutes = {};
  for (const [provider, route] of Object.entries(routes)) {
    if (provider !== 'default' && !(PROVIDERS as readonly string[]).includes(provider)) {
      throw new EngineOptionsError(
        `egressRoutes.${provider}`,
        `unknown provider; one of ${PROVIDERS.join(', ')}, default`,
      );
    }
    if (route === undefined) continue;
    if (route !== DIRECT && !names.has(route)) {
      throw new EngineOptionsError(
        `egressRoutes.${provider}`,
        `no proxy named ${JSON.stringify(route)} (or direct)`,
      );
    }
    checked[provider as Provider | 'default'] = route;
  }
  return checked;
}

/**
 * `name=url` (or a bare url, named `proxy`), as flags and `MAILPROBE_PROXIES` (comma-separated) give them.
 * The URL's userinfo may hold `=` or `,` only percent-encoded.
 */
export function parseProxyFlag(text: string): ProxyOption {
  const trimmed = text.trim();
  const equals = trimmed.indexOf('=');
  const scheme = trimmed.indexOf('://');
  if (equals > 0 && (scheme < 0 || equals < scheme)) {
    return { name: trimmed.slice(0, equals).trim(), url: trimmed.slice(equals + 1).trim() };
  }
  return { name: 'proxy', url: trimmed };
}

/** `provider=route` pairs, comma-separated (`google=p1,default=direct`). */
export function parseRoutesFlag(option: string, text: string): EgressRoutes {
  const routes: Record<string, string> = {};
  for (const pair of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [provider, route] = pair.split('=').map((part) => part.trim());
    if (!provider || !route)
      throw new EngineOptionsError(option, `expected provider=proxy, got ${JSON.stringify(pair)}`);
    routes[provider] = route;
  }
  return routes as EgressRoutes;
}

/** Proxy options from `name=url` entries and `name=helo` pairs (flags, env): each HELO name joins its proxy. */
export function proxyOptions(
  option: string,
  entries: readonly string[],
  heloNames: Readonly<Record<string, string>> = {},
): ProxyOption[] {
  const proxies = entries.map(parseProxyFlag);
  for (const [name, heloName] of Object.entries(heloNames)) {
    const proxy = proxies.find((candidate) => candidate.name === name);
    if (!proxy) throw new EngineOptionsError(option, `HELO name for unknown proxy ${JSON.stringify(name)}`);
    proxy.heloName = heloName;
  }
  return proxies;
}
