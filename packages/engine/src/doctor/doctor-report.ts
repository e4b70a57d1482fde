/** What one doctor check concluded. `warn` is worth a look but does not fail the doctor; `skip`: not applicable. */
export type DoctorCheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** Every check the doctor runs, in the order it reports them. */
export const DOCTOR_CHECKS = [
  'bind',
  'outbound_smtp',
  'ptr',
  'fcrdns',
  'helo',
  'mail_from_domain',
  'spf',
  'dmarc',
  'dnsbl',
  'proxy_reachable',
  'proxy_auth',
  'proxy_smtp',
] as const;
export type DoctorCheckId = (typeof DOCTOR_CHECKS)[number];

export interface DoctorCheck {
  id: DoctorCheckId;
  status: DoctorCheckStatus;
  /** One line for the operator: what was found and, on failure, what to do. */
  detail: string;
}

/** One blocklist's answer about one address. */
export interface DnsblFinding {
  zone: string;
  /** `refused`: the list answered with a refusal code (public/open resolver, quota), so it said nothing. */
  state: 'clear' | 'listed' | 'refused' | 'error';
  /** The A records of a listing or refusal (e.g. 127.0.0.2, 127.255.255.254). */
  codes: string[];
  /** The list's TXT reason for a listing, when it gives one. */
  reason: string | null;
}

/** Every check for one source address (`null`: none configured, the OS chooses). */
export interface SourceDoctorReport {
  address: string | null;
  checks: DoctorCheck[];
  dnsbl: DnsblFinding[];
  /** On at least one blocklist: `serve` keeps it out of probes until it is clear. */
  listed: boolean;
  ok: boolean;
}

/** Every check of one SOCKS5 egress (its URL without password). */
export interface ProxyDoctorReport {
  name: string;
  url: string;
  checks: DoctorCheck[];
  ok: boolean;
}

export interface DoctorReport {
  /** No check failed. */
  ok: boolean;
  mailFrom: string;
  /** Where outbound port-25 connections were tried (`host:port`), or null when no target was found. */
  probeTarget: string | null;
  sources: SourceDoctorReport[];
  /** One report per configured SOCKS5 egress (empty without proxies). */
  proxies: ProxyDoctorReport[];
}
