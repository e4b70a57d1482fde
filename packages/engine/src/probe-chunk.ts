import { MAX_REPLY_TEXT_LENGTH, type ParsedAddress, type SmtpEvidence } from '@mailprobe/core';
import type { CatchAllCache } from './catch-all-cache.js';
import { acceptedRecipientAt, catchAllProbeAddress, readCatchAllReply } from './catch-all-probe.js';
import { classifyRcptReply } from './classify-memo.js';
import type { MxHost } from './dns/mx-lookup.js';
import { type ProxyUse, proxyEgressKey } from './egress/egress-router.js';
import type { EngineOptions } from './options.js';
import type { SourcePool } from './pool/source-pool.js';
import type { SharedSessions, Target } from './shared-sessions.js';
import { classifyReply, isTooManyRecipients, type SmtpReply } from './smtp/index.js';
import type { CatchAllOutcome, Classification, StageOutcome } from './verdict.js';

/** What the SMTP stage found for one recipient, with the evidence and timings behind it. */
export interface RecipientFinding {
  outcome: StageOutcome;
  smtp: SmtpEvidence | null;
  connectMs: number;
  smtpMs: number;
  queuedMs: number;
}

export interface ChunkFindings {
  findings: Map<ParsedAddress, RecipientFinding>;
  /** The domain's catch-all verdict, when known. */
  catchAll: boolean | undefined;
}

/** Everything the SMTP stage shares across chunks. */
export interface ProbeContext {
  options: EngineOptions;
  pool: SourcePool;
  sessions: SharedSessions;
  catchAllCache: CatchAllCache;
}

// A recipient left unanswered when a session is cut (a 421, a drop) is asked again in at most this many
// further sessions; then it keeps the cut session's (UNKNOWN) classification.
const MAX_REQUEUES_PER_RECIPIENT = 2;
// Hard stop for one chunk, whatever mix of blocks, drops and requeues happens, on top of the sessions the
// refusal cap plans (see `plannedSessions`).
const MAX_SESSIONS_PER_CHUNK = 8;
// Sessions cut only by the refusal cap may add this many times `maxSessions` more.
const MAX_SESSIONS_FACTOR_WITH_CAPS = 4;
// RFC 5321 / 3463: "too many recipients" means "ask fewer per transaction", not a verdict. The session asks a
// 452 or 552 one again in a fresh transaction itself (`isTooManyRecipients`); other codes with 4.5.3 are asked again
// in a fresh session.
const TOO_MANY_RECIPIENTS = '4.5.3';

function truncate(text: string): string {
  return text.length > MAX_REPLY_TEXT_LENGTH ? text.slice(0, MAX_REPLY_TEXT_LENGTH) : text;
}

function evidence(
  target: Target,
  port: number,
  sourceAddress: string | undefined,
  heloName: string | null,
  tls: boolean,
  reply: SmtpReply | null | undefined,
  proxy: ProxyUse | null = null,
): SmtpEvidence {
  return {
    ...(proxy ? { proxy: { name: proxy.name, failure: proxy.failure, replyCode: proxy.replyCode } } : {}),
    host: target.host,
    ip: target.ip,
    port,
    sourceAddress: sourceAddress ?? null,
    heloName,
    tls,
    replyCode: reply?.code ?? null,
    enhancedCode: reply?.enhancedCode ?? null,
    replyText: reply ? truncate(reply.text) : null,
  };
}

function catchAllFromCache(known: boolean | undefined): CatchAllOutcome | null {
  if (known === undefined) return null;
  return known ? { kind: 'catch_all' } : { kind: 'not_catch_all' };
}

/**
 * The SMTP stage for up to one session's worth of recipients at one domain (and more, in further
 * sessions, when some are left unanswered). Tries MX addresses in order on connection failure,
 * fallback ports when the main ones are unreachable, and another source address when the MX refuses
 * ours as `blocked` (benching that source for the MX). Every wait for a limit adds to `queuedMs`.
 */
export async function probeChunk(
  context: ProbeContext,
  request: {
    domain: string;
    hosts: readonly MxHost[];
    recipients: readonly ParsedAddress[];
    signal?: AbortSignal;
  },
): Promise<ChunkFindings> {
  const { options, pool, sessions, catchAllCache } = context;
  const { signal } = request;
  const targets: Target[] = request.hosts.flatMap((host) =>
    host.addresses
      .filter((address) => pool.hasFamily(address.family))
      .map((address) => ({ host: host.host, ip: address.ip, family: address.family })),
  );
  const findings = new Map<ParsedAddress, RecipientFinding>();
  const requeues = new Map<ParsedAddress, number>();
  const lastFinding = new Map<ParsedAddress, RecipientFinding>();
  const refusedSources = new Map<string, Set<string>>();
  let fallback: RecipientFinding = {
    outcome: { stage: 'connect', failure: 'connection' },
    smtp: null,
    connectMs: 0,
    smtpMs: 0,
    queuedMs: 0,
  };
  let pending: ParsedAddress[] = [...request.recipients];
  let catchAllKnown = await catchAllCache.get(request.domain);
  let queuedMs = 0;
  let targetIndex = 0;
  let targetsTried = 0;
  let sessionsRun = 0;
  let cappedSessions = 0;
  // Sessions ended on purpose by the refusal cap: at worst every RCPT (and each session's probe) is refused.
  const plannedSessions = Math.ceil(
    request.recipients.length / Math.max(1, options.maxRejectionsPerSession - 1),
  );
  const maxSessions = MAX_SESSIONS_PER_CHUNK + plannedSessions;

  const finish = (address: ParsedAddress, finding: RecipientFinding) => findings.set(address, finding);

  while (pending.length > 0) {
    const target = targets[targetIndex];
    if (
      !target ||
      targetsTried >= options.maxMxAttempts ||
      sessionsRun - cappedSessions >= maxSessions ||
      sessionsRun >= maxSessions * MAX_SESSIONS_FACTOR_WITH_CAPS
    ) {
      for (const address of pending) finish(address, lastFinding.get(address) ?? fallback);
      break;
    }
    const batch = pending.slice(0, options.recipientsPerSession);
    // Another chunk of this domain may have learnt the catch-all verdict meanwhile.
    catchAllKnown ??= await catchAllCache.get(request.domain);
    const result = await sessions.run({
      domain: request.domain,
      target,
      recipients: batch,
      catchAllProbe: catchAllKnown === undefined && batch[0] ? catchAllProbeAddress(batch[0]) : undefined,
      refusedSources: refusedSources.get(target.host),
      signal,
    });
    if (result.kind === 'no_source') {
      // Every source is benched for this MX host: the next MX may still take us.
      targetIndex += 1;
      targetsTried += 1;
      continue;
    }
    const { outcome, port, sourceAddress, heloName, proxy } = result;
    sessionsRun += 1;
    // A shared session that reached its refusal cap during this domain's transaction answered some of it and
    // left the rest for a fresh session: planned, not a failure, so it does not count towards `maxSessions`
    // (only towards the absolute bound, in case a domain keeps joining sessions near their cap).
    if (
      outcome.failure === null &&
      outcome.recipients.some((recipient) => recipient.skipped === 'rejection_limit')
    )
      cappedSessions += 1;
    queuedMs += result.queuedMs;
    const timings = { connectMs: outcome.connectMs, smtpMs: outcome.smtpMs, queuedMs: Math.round(queuedMs) };

    if (!outcome.connected) {
      fallback = {
        outcome: {
          stage: 'connect',
          failure: outcome.failure?.kind === 'timeout' ? 'timeout' : 'connection',
        },
        smtp: evidence(target, port, sourceAddress, heloName, false, null, proxy),
        ...timings,
      };
      targetIndex += 1;
      targetsTried += 1;
      continue;
    }

    const failure = outcome.failure;
    const failureClass: Classification | null =
      failure?.kind === 'reply' && failure.reply ? classifyReply(failure.stage, failure.reply) : null;
    const failureKind = failure?.kind ?? null;

    // A refusal of the probe counts even as policy wording when someone real was accepted alongside it.
    const acceptedAlongside = acceptedRecipientAt(request.domain, outcome.recipients);
    if (outcome.catchAll && catchAllKnown === undefined) {
      const read = readCatchAllReply(
        outcome.catchAll,
        classifyRcptReply(outcome.catchAll),
        failureKind,
        acceptedAlongside,
      );
      if (read.kind !== 'inconclusive') {
        catchAllKnown = read.kind === 'catch_all';
        await catchAllCache.set(request.domain, catchAllKnown, options.catchAllTtlMs);
      }
    }
    // The probe unanswered because the session ended: the session's failure is all there is to read.
    const sessionCatchAll: CatchAllOutcome =
      catchAllFromCache(catchAllKnown) ??
      readCatchAllReply(
        outcome.catchAll,
        outcome.catchAll ? classifyRcptReply(outcome.catchAll) : failureClass,
        failureKind,
        acceptedAlongside,
      );

    const sessionFinding: RecipientFinding = {
      outcome: { stage: 'session', failure: failure?.kind ?? 'protocol', classification: failureClass },
      smtp: evidence(target, port, sourceAddress, heloName, outcome.tls, failure?.reply, proxy),
      ...timings,
    };
    // Only a refusal of our source (an address or a proxy's egress) is worth another; with none configured it is final.
    const egress = sourceAddress ?? (proxy ? proxyEgressKey(proxy.name) : undefined);
    const canRotate = egress !== undefined;
    // A timeout means "this server is stuck": asking again would only wait again. A 421 after some answers
    // (too many errors, a restart, a rate) is a cut session; the next session waits for its limiter slot.
    const stopReusing = failure?.kind === 'timeout';
    // A session that died before any RCPT reply would die again: only one that made progress is resumed.
    const progressed = result.sessionProgressed;
    let blocked = false;
    const stillPending: ParsedAddress[] = [];
    const requeue = (address: ParsedAddress, finding: RecipientFinding): boolean => {
      const requeued = requeues.get(address) ?? 0;
      lastFinding.set(address, finding);
      if (!progressed || stopReusing || requeued >= MAX_REQUEUES_PER_RECIPIENT) return false;
      requeues.set(address, requeued + 1);
      stillPending.push(address);
      return true;
    };

    for (const recipient of outcome.recipients) {
      const { address, reply, skipped } = recipient;
      if (skipped === 'rejection_limit') {
        // Not asked: this session reached its refusal cap. A fresh session asks it, at no requeue cost.
        stillPending.push(address);
        continue;
      }
      if (skipped === 'smtputf8_unsupported') {
        finish(address, {
          outcome: { stage: 'rcpt', skipped },
          smtp: evidence(target, port, sourceAddress, heloName, outcome.tls, null, proxy),
          ...timings,
        });
        continue;
      }
      if (reply) {
        const classification = classifyRcptReply(reply);
        const finding: RecipientFinding = {
          outcome: { stage: 'rcpt', classification, catchAll: sessionCatchAll },
          smtp: evidence(target, port, sourceAddress, heloName, outcome.tls, reply, proxy),
          ...timings,
        };
        const requeued = requeues.get(address) ?? 0;
        // A refusal in a session that accepted someone else at the domain refuses that mailbox, not our source:
        // no other source would be told anything else, and benching this one would cost the domain's next addresses.
        if (classification.reason === 'blocked' && canRotate && !acceptedAlongside) {
          blocked = true;
          lastFinding.set(address, finding);
          stillPending.push(address);
        } else if (
          reply.enhancedCode === TOO_MANY_RECIPIENTS &&
          !isTooManyRecipients(reply) &&
          requeued < MAX_REQUEUES_PER_RECIPIENT
        ) {
          // A 4.5.3 under another code than 452/552, which the session does not retry itself. (A 452 or 552 the
          // session records was given to the first RCPT of a fresh transaction: not about the number, final.)
          requeues.set(address, requeued + 1);
          lastFinding.set(address, finding);
          stillPending.push(address);
        } else if (
          classification.reason === 'accepted' &&
          catchAllKnown === undefined &&
          outcome.catchAll === null &&
          failure !== null
        ) {
          // Accepted, but the session was cut before the catch-all probe was answered: the verdict needs
          // that answer, so the mailbox is asked again with the probe. Failing that, the cut decides it, and
          // its reply (not the 250) is the evidence.
          if (!requeue(address, sessionFinding)) finish(address, sessionFinding);
        } else {
          finish(address, finding);
        }
        continue;
      }
      // Unanswered: the session ended first.
      if (failureClass?.reason === 'blocked' && canRotate) {
        lastFinding.set(address, sessionFinding);
        blocked = true;
        stillPending.push(address);
      } else if (!requeue(address, sessionFinding)) {
        finish(address, sessionFinding);
      }
    }
    if (blocked && egress !== undefined) {
      pool.bench(egress, target.host);
      const refused = refusedSources.get(target.host) ?? new Set<string>();
      refused.add(egress);
      refusedSources.set(target.host, refused);
    }
    fallback = sessionFinding;
    pending = [...stillPending, ...pending.slice(batch.length)];
  }
  return { findings, catchAll: catchAllKnown };
}
