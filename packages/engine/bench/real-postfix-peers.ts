// The npm peers' side of bench/real-postfix.ts: one library verifying addresses against the same Postfix bed, in a
// process of its own (its CPU alone, its own `dns` settings). Reads its job from the JSON file named by argv[2],
// writes one JSON line to stdout.
//
// The peers do what they do on the internet: `dns.resolveMx` for the domain, then `net.connect(25, exchange)`,
// whose name Node resolves with `dns.lookup` (the system's getaddrinfo, which knows nothing of the bench's DNS). In
// this process both go to the bench's fake DNS: `dns.setServers` for the MX query, and `dns.lookup` answering from
// `dns.resolve4` through the same server. Nothing else of a peer is changed.
import dns from 'node:dns';
import { readFile } from 'node:fs/promises';
import validate from 'deep-email-validator';
import EmailDeepValidator from 'email-deep-validator';
import emailExistence from 'email-existence';

export type PeerName = 'deep-email-validator' | 'email-deep-validator' | 'email-existence';

export interface PeerJob {
  peer: PeerName;
  /** The fake DNS, `ip:port`. */
  dnsServer: string;
  addresses: string[];
  /** The MX address each address's domain is served at: at most `perMxAddress` verifications at once there. */
  mxAddressOf: Record<string, string>;
  /** Verifications at once in all (the engine's default session concurrency). */
  concurrency: number;
  /** Verifications at once per MX address (the engine's `maxSessionsPerMx`). */
  perMxAddress: number;
}

export type PeerStatus = 'VALID' | 'INVALID' | 'UNKNOWN';

export interface PeerRun {
  /** Per input, in input order. */
  statuses: PeerStatus[];
  wallMs: number;
  cpuUs: number;
  /** Verifications that threw instead of answering (counted UNKNOWN). */
  errors: number;
}

/** Each peer's own API, read as a status: what its result says about the mailbox. */
const PEERS: Record<PeerName, (address: string) => Promise<PeerStatus>> = {
  async 'deep-email-validator'(address) {
    // Defaults (regex, typo, disposable, MX, SMTP), as its README uses it.
    const result = await validate(address);
    if (result.valid) return 'VALID';
    // It reads a 550 to RCPT as "Mailbox not found."; every other failure is about the check, not the mailbox.
    const smtp = result.validators.smtp;
    return result.reason === 'smtp' && smtp?.reason === 'Mailbox not found.' ? 'INVALID' : 'UNKNOWN';
  },
  async 'email-deep-validator'(address) {
    const { validMailbox } = await new EmailDeepValidator().verify(address);
    return validMailbox === true ? 'VALID' : validMailbox === false ? 'INVALID' : 'UNKNOWN';
  },
  'email-existence'(address) {
    return new Promise((resolve) => {
      emailExistence.check(address, (error, exists, undetermined) => {
        if (error || undetermined) resolve('UNKNOWN');
        else resolve(exists ? 'VALID' : 'INVALID');
      });
    });
  },
};

function pointDnsAt(server: string): void {
  dns.setServers([server]);
  const resolver = new dns.Resolver();
  resolver.setServers([server]);
  type LookupCallback = (error: Error | null, address: unknown, family?: number) => void;
  const lookup = (hostname: string, options: unknown, callback?: LookupCallback): void => {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const all =
      typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    resolver.resolve4(hostname, (error, addresses) => {
      const [first] = addresses ?? [];
      if (error || first === undefined) {
        done(error ?? new Error(`no A record for ${hostname}`), undefined);
        return;
      }
      if (all)
        done(
          null,
          addresses.map((address) => ({ address, family: 4 })),
        );
      else done(null, first, 4);
    });
  };
  (dns as unknown as { lookup: typeof lookup }).lookup = lookup;
}

/** Runs `verify` over the addresses, `concurrency` at once and at most `perMxAddress` at once per MX address. */
async function runPool(job: PeerJob, verify: (address: string) => Promise<PeerStatus>) {
  const statuses = new Array<PeerStatus>(job.addresses.length);
  const busy = new Map<string, number>();
  const queue = job.addresses.map((address, index) => ({ address, index }));
  let errors = 0;
  let inFlight = 0;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      if (queue.length === 0 && inFlight === 0) {
        resolve();
        return;
      }
      for (let position = 0; position < queue.length && inFlight < job.concurrency; ) {
        const item = queue[position] as { address: string; index: number };
        const mx = job.mxAddressOf[item.address] ?? '';
        if ((busy.get(mx) ?? 0) >= job.perMxAddress) {
          position += 1;
          continue;
        }
        queue.splice(position, 1);
        busy.set(mx, (busy.get(mx) ?? 0) + 1);
        inFlight += 1;
        verify(item.address)
          .catch(() => {
            errors += 1;
            return 'UNKNOWN' as const;
          })
          .then((status) => {
            statuses[item.index] = status;
            busy.set(mx, (busy.get(mx) ?? 1) - 1);
            inFlight -= 1;
            pump();
          });
      }
    };
    pump();
  });
  return { statuses, errors };
}

const job = JSON.parse(await readFile(process.argv[2] as string, 'utf8')) as PeerJob;
pointDnsAt(job.dnsServer);
const cpuBefore = process.cpuUsage();
const started = performance.now();
const { statuses, errors } = await runPool(job, PEERS[job.peer]);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const run: PeerRun = { statuses, wallMs, cpuUs: cpu.user + cpu.system, errors };
process.stdout.write(`${JSON.stringify(run)}\n`);
// Some peers leave sockets or timers behind (no QUIT, a timeout still armed): the figures are out, so end here.
process.exit(0);
