import type { DoctorReport } from '@mailprobe/engine';
import { Command } from 'commander';
import { EXIT_CODES } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { addEngineFlags, type EngineFlagValues } from '../engine-flags.js';

interface DoctorFlags extends EngineFlagValues {
  probeHost?: string;
  dnsbl?: string[];
  json?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((zone) => zone.trim())
      .filter(Boolean),
  ];
}

/** Fixed-width columns; the detail column takes the rest of the line. */
function formatTable(report: DoctorReport): string {
  const rows = report.sources.flatMap((source) =>
    source.checks.map((check) => [
      source.address ?? '(OS chooses)',
      check.id,
      check.status.toUpperCase(),
      check.detail,
    ]),
  );
  for (const proxy of report.proxies ?? []) {
    for (const check of proxy.checks)
      rows.push([`proxy ${proxy.name}`, check.id, check.status.toUpperCase(), check.detail]);
  }
  const header = ['ADDRESS', 'CHECK', 'STATUS', 'DETAIL'];
  const widths = [0, 1, 2].map((column) =>
    Math.max(header[column]?.length ?? 0, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (row: string[]) =>
    row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  ');
  const verdict = report.ok ? 'doctor: all checks passed' : 'doctor: some checks FAILED';
  const target = report.probeTarget ? `, port-25 target ${report.probeTarget}` : '';
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${verdict} (MAIL FROM ${report.mailFrom || '<>'}${target})\n`;
}

/** `mailprobe doctor`: is this host fit to probe from? Exit 1 when any check fails. */
export function doctorCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('doctor')
    .description(
      'check each source address before going live: binds here, reaches port 25, PTR/FCrDNS = HELO name, ' +
        'SPF of the MAIL FROM domain authorises it, DMARC, DNS blocklists; and each --proxy: reachable, ' +
        'authentication accepted, CONNECT to the probe host port 25 gives 220',
    )
    .option(
      '--probe-host <host[:port]>',
      'where to test outbound SMTP (env MAILPROBE_PROBE_HOST; default: the MX of the --mail-from domain)',
    )
    .option(
      '--dnsbl <zone>',
      `DNS blocklist zone, repeatable or comma-separated (env MAILPROBE_DNSBL_ZONES; default: zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org)`,
      collect,
    )
    .option('--json', 'print the report as JSON');
  addEngineFlags(command);
  return command.action(async (flags: DoctorFlags) => {
    // The engine loads only when the command runs: `mailprobe --help` stays fast.
    const { engineOptionsFrom, toUsageError } = await import('../engine-options.js');
    let engine: ReturnType<typeof engineOptionsFrom>;
    try {
      engine = engineOptionsFrom(flags, io.env);
    } catch (error) {
      throw toUsageError(error);
    }
    const envZones = io.env.MAILPROBE_DNSBL_ZONES;
    const dnsblZones = flags.dnsbl ?? (envZones !== undefined ? collect(envZones, []) : undefined);
    const probeHost = flags.probeHost ?? io.env.MAILPROBE_PROBE_HOST;
    let report: DoctorReport;
    try {
      const { runDoctor } = await import('@mailprobe/engine');
      report = await runDoctor({
        engine,
        ...(dnsblZones ? { dnsblZones } : {}),
        ...(probeHost ? { probeHost } : {}),
      });
    } catch (error) {
      throw toUsageError(error);
    }
    io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report));
    setExitCode(report.ok ? EXIT_CODES.ok : EXIT_CODES.failed);
  });
}
