import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as core from '@actions/core';
import { collectAddresses } from './collect.js';
import { ActionError } from './errors.js';
import { findFiles } from './files.js';
import { createIgnoreMatcher, RESERVED_DOMAINS } from './ignore.js';
import { type ActionInputs, readInputs } from './inputs.js';
import { annotationsFor } from './report/annotations.js';
import { buildReport, type Report } from './report/report.js';
import { buildSarif } from './report/sarif.js';
import { renderSummary } from './report/summary.js';
import { scanFiles } from './scan.js';
import { createOfflineVerifier } from './verify/offline.js';
import { createProbeVerifier } from './verify/probe.js';
import type { Verifier } from './verify/verdict.js';

/** File name of the JSON report when `report-path` is not given. */
export const DEFAULT_REPORT_NAME = 'mailprobe-report.json';

/** Where the runner put things: the checkout and a temporary directory. */
export interface RunnerPaths {
  workspace: string;
  temp: string;
}

/** The action's entry point: reads inputs, checks the files, reports; failures become `setFailed`. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    if (inputs.apiKey) core.setSecret(inputs.apiKey);
    const paths: RunnerPaths = {
      workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
      temp: process.env.RUNNER_TEMP || tmpdir(),
    };
    const report = await checkAddresses(inputs, paths);
    if (report.counts.failed > 0) {
      core.setFailed(
        `${report.counts.failed} address${report.counts.failed === 1 ? '' : 'es'} failed the check (fail-on: ${inputs.failOn}); see the annotations and the job summary.`,
      );
    }
  } catch (error) {
    core.setFailed(ActionError.isInstance(error) ? error.message : `Unexpected error: ${describe(error)}`);
  }
}

/** Finds, extracts, verifies and reports; returns the report (the caller decides the exit). */
export async function checkAddresses(inputs: ActionInputs, paths: RunnerPaths): Promise<Report> {
  const files = await findFiles(inputs.files, paths.workspace);
  core.info(`Scanning ${files.length} file${files.length === 1 ? '' : 's'}.`);
  const scan = await scanFiles(files, paths.workspace, inputs.expectKey);
  for (const note of scan.notes) core.warning(note.message, { file: note.file, title: 'Mailprobe' });

  const isIgnored = createIgnoreMatcher([
    ...(inputs.ignoreReserved ? RESERVED_DOMAINS : []),
    ...inputs.ignore,
  ]);
  const { checked, ignored } = collectAddresses(scan.occurrences, isIgnored);
  core.info(
    `Found ${scan.occurrences.length} occurrences of ${checked.length + ignored.length} distinct addresses (${ignored.length} ignored).`,
  );
  if (checked.length > inputs.maxAddresses) {
    throw new ActionError(
      'too_many_addresses',
      `Found ${checked.length} distinct addresses to verify, more than max-addresses (${inputs.maxAddresses}). ` +
        'Narrow "files", add "ignore" entries, or raise "max-addresses".',
    );
  }

  const verifier = createVerifier(inputs);
  await verifier.check();
  const verdicts = checked.length === 0 ? [] : await verifier.verify(checked.map((entry) => entry.address));
  const report = buildReport({
    mode: inputs.mode,
    failOn: inputs.failOn,
    files,
    checked,
    verdicts,
    ignored,
    notes: scan.notes,
  });
  await publish(report, reportPathFor(inputs, paths));
  if (inputs.sarifPath) await publishSarif(report, resolveIn(paths, inputs.sarifPath));
  return report;
}

function createVerifier(inputs: ActionInputs): Verifier {
  if (inputs.mode === 'offline') return createOfflineVerifier({ dnsServers: inputs.dnsServers });
  return createProbeVerifier({
    apiUrl: inputs.apiUrl ?? '',
    apiKey: inputs.apiKey ?? '',
    onProgress: (done, total) => core.info(`Verified ${done}/${total} addresses.`),
  });
}

function reportPathFor(inputs: ActionInputs, paths: RunnerPaths): string {
  if (!inputs.reportPath) return join(paths.temp, DEFAULT_REPORT_NAME);
  return resolveIn(paths, inputs.reportPath);
}

function resolveIn(paths: RunnerPaths, path: string): string {
  return isAbsolute(path) ? path : resolve(paths.workspace, path);
}

/** Writes the SARIF log for `github/codeql-action/upload-sarif` and names it in the `sarif` output. */
async function publishSarif(report: Report, sarifPath: string): Promise<void> {
  await mkdir(dirname(sarifPath), { recursive: true });
  await writeFile(sarifPath, `${JSON.stringify(buildSarif(report), null, 2)}\n`);
  core.setOutput('sarif', sarifPath);
  core.info(`SARIF log for code scanning: ${sarifPath}`);
}

async function publish(report: Report, reportPath: string): Promise<void> {
  await mkdir(dirname(reportPath), { recursive: true });
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  for (const { level, message, ...properties } of annotationsFor(report)) {
    if (level === 'error') core.error(message, properties);
    else core.warning(message, properties);
  }
  const { counts } = report;
  core.setOutput('total', counts.total);
  core.setOutput('valid', counts.valid);
  core.setOutput('invalid', counts.invalid);
  core.setOutput('unknown', counts.unknown);
  core.setOutput('failed', counts.failed);
  core.setOutput('report', reportPath);
  core.info(
    `Checked ${counts.total} addresses: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.unknown} unknown; ${counts.failed} failed. Report: ${reportPath}`,
  );
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(report)).write();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
