import { createRequire } from 'node:module';
import type { DnsClient } from '../dns/dns-client.js';
import type { DoctorCheck } from './doctor-report.js';
import type { NodeStyleResolver } from './mailauth-resolver.js';

/** The part of mailauth's DMARC record lookup the doctor reads (the module ships no types). */
interface DmarcRecord {
  p?: string;
  /** Found at the organisational domain rather than the domain itself. */
  isOrgRecord: boolean;
}
type GetDmarcRecord = (domain: string, resolver: NodeStyleResolver) => Promise<DmarcRecord | false>;

// Loaded on first use: mailauth pulls in much that start-up does not need.
const require = createRequire(import.meta.url);

/** The domain of the envelope sender; the null sender `<>` has none (SPF then checks the HELO name). */
export function mailFromDomain(mailFrom: string): string | null {
  const at = mailFrom.lastIndexOf('@');
  return at < 0 ? null : mailFrom.slice(at + 1).toLowerCase();
}

/** The MAIL FROM domain must exist: MX hosts refuse senders whose domain does not resolve. */
export async function checkMailFromDomain(dns: DnsClient, domain: string | null): Promise<DoctorCheck> {
  if (domain === null)
    return {
      id: 'mail_from_domain',
      status: 'warn',
      detail: 'null sender <>: set --mail-from to a domain you own',
    };
  try {
    const [mx, a] = await Promise.all([dns.query(domain, 'MX'), dns.query(domain, 'A')]);
    if (mx.rcode === 'NXDOMAIN')
      return { id: 'mail_from_domain', status: 'fail', detail: `${domain} does not exist (NXDOMAIN)` };
    if (mx.rcode !== 'NOERROR')
      return { id: 'mail_from_domain', status: 'fail', detail: `${domain}: ${mx.rcode} from the resolver` };
    if (mx.records.length === 0 && a.records.length === 0)
      return { id: 'mail_from_domain', status: 'warn', detail: `${domain} exists but has no MX or A record` };
    return { id: 'mail_from_domain', status: 'pass', detail: `${domain} exists` };
  } catch (error) {
    return { id: 'mail_from_domain', status: 'fail', detail: `${domain}: ${(error as Error).message}` };
  }
}

/** SPF (RFC 7208, evaluated by mailauth) must authorise `ip` to send as `mailFrom` greeting as `heloName`. */
export async function checkSpf(
  resolver: NodeStyleResolver,
  options: { ip: string; mailFrom: string; heloName: string },
): Promise<DoctorCheck> {
  const { spf } = await import('mailauth/lib/spf/index.js');
  const result = await spf({
    ip: options.ip,
    sender: options.mailFrom || `postmaster@${options.heloName}`,
    helo: options.heloName,
    mta: options.heloName,
    resolver: resolver as Parameters<typeof spf>[0]['resolver'],
  });
  const verdict = result.status.result;
  const record = (result as { rr?: string }).rr;
  const detail = `SPF ${verdict} for ${options.ip} at ${result.domain}${record ? ` (${record})` : ''}`;
  if (verdict === 'pass') return { id: 'spf', status: 'pass', detail };
  const advice =
    verdict === 'none'
      ? `; publish e.g. "v=spf1 ip4:${options.ip} -all" at ${result.domain}`
      : `; add ${options.ip} to the SPF record of ${result.domain}`;
  return { id: 'spf', status: 'fail', detail: `${detail}${advice}` };
}

/** DMARC: present, ideally `p=reject` (the prober never sends mail, so nothing legitimate can fail it). */
export async function checkDmarc(resolver: NodeStyleResolver, domain: string | null): Promise<DoctorCheck> {
  if (domain === null) return { id: 'dmarc', status: 'skip', detail: 'null sender: no domain' };
  const getDmarcRecord = require('mailauth/lib/dmarc/get-dmarc-record.js') as GetDmarcRecord;
  let record: DmarcRecord | false;
  try {
    record = await getDmarcRecord(domain, resolver);
  } catch (error) {
    return {
      id: 'dmarc',
      status: 'fail',
      detail: `DMARC lookup for ${domain} failed: ${(error as Error).message}`,
    };
  }
  if (!record)
    return {
      id: 'dmarc',
      status: 'fail',
      detail: `no DMARC record at _dmarc.${domain}; publish "v=DMARC1; p=reject"`,
    };
  const policy = (record.p ?? '').toLowerCase();
  const where = record.isOrgRecord ? ' (organisational domain)' : '';
  if (policy === 'reject') return { id: 'dmarc', status: 'pass', detail: `DMARC p=reject${where}` };
  return {
    id: 'dmarc',
    status: 'warn',
    detail: `DMARC p=${policy || '(none)'}${where}; p=reject is recommended, the prober never sends mail`,
  };
}
