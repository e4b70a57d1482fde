import { Packet } from 'dns2';
import { DEFAULT_TTL_SECONDS, type FakeZone } from './fake-zone.js';

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

/** What to put in a response for one question. */
export interface Answer {
  rcode: Rcode;
  answers: Record<string, unknown>[];
  authorities: Record<string, unknown>[];
}

const SOA_TIMERS = { serial: 1, refresh: 3600, retry: 600, expiration: 86_400 } as const;

/** Canonical form of a DNS name: lower-case, no trailing dot. */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, '');
}

/** The SOA placed in the authority section of negative answers (RFC 2308), named after the zone apex. */
function soaFor(name: string, ttl: number): Record<string, unknown> {
  const apex = name.split('.').slice(-2).join('.') || name;
  return {
    name: apex,
    type: Packet.TYPE.SOA,
    class: Packet.CLASS.IN,
    ttl,
    primary: `ns.${apex}`,
    admin: `hostmaster.${apex}`,
    ...SOA_TIMERS,
    minimum: ttl,
  };
}

/** A TXT character-string holds at most 255 bytes; longer text is split, as publishers of long SPF do. */
const MAX_CHARACTER_STRING = 255;

function characterStrings(text: string): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += MAX_CHARACTER_STRING)
    parts.push(text.slice(start, start + MAX_CHARACTER_STRING));
  return parts.length > 0 ? parts : [''];
}

/** Answer one question from the zone data (undefined zone = the name does not exist). */
export function answerQuestion(name: string, type: number, zone: FakeZone | undefined): Answer {
  const ttl = zone?.ttl ?? DEFAULT_TTL_SECONDS;
  if (zone === undefined || zone.nxdomain === true) {
    return { rcode: 'NXDOMAIN', answers: [], authorities: [soaFor(name, ttl)] };
  }
  if (zone.servfail === true) return { rcode: 'SERVFAIL', answers: [], authorities: [] };
  if (zone.refused === true) return { rcode: 'REFUSED', answers: [], authorities: [] };
  const base = { name, class: Packet.CLASS.IN, ttl };
  const answers: Record<string, unknown>[] = [];
  switch (type) {
    case Packet.TYPE.MX:
      if (zone.nullMx === true) answers.push({ ...base, type, priority: 0, exchange: '.' });
      for (const { exchange, priority } of zone.mx ?? []) answers.push({ ...base, type, priority, exchange });
      break;
    case Packet.TYPE.A:
      for (const address of zone.a ?? []) answers.push({ ...base, type, address });
      break;
    case Packet.TYPE.AAAA:
      for (const address of zone.aaaa ?? []) answers.push({ ...base, type, address });
      break;
    case Packet.TYPE.TXT:
      for (const record of zone.txt ?? []) {
        answers.push({ ...base, type, data: typeof record === 'string' ? characterStrings(record) : record });
      }
      break;
    case Packet.TYPE.PTR:
      if (zone.ptr !== undefined) answers.push({ ...base, type, domain: zone.ptr });
      break;
  }
  // NODATA: the name exists but has no record of this type.
  return { rcode: 'NOERROR', answers, authorities: answers.length === 0 ? [soaFor(name, ttl)] : [] };
}
