import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { access, chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isAddressInUse, listen } from '../net/loopback.js';
import { selfSignedCredentials } from '../smtp/tls-credentials.js';
import {
  DEFAULT_POSTFIX_HOSTNAME,
  type PostfixOptions,
  type PostfixPaths,
  postfixPaths,
  postfixTables,
  renderMainCf,
  renderMasterCf,
} from './postfix-config.js';
import { PostfixError } from './postfix-error.js';

export type { PostfixOptions, PostfixPaths } from './postfix-config.js';

/** Where Debian (and most distributions) put the Postfix commands. */
const COMMAND_DIRECTORIES = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
/** Fresh listener addresses tried when a bind collides with another test's server. */
const MAX_START_ATTEMPTS = 10;
/** Until the master logs "daemon started" (its listener is bound by then). */
const START_TIMEOUT_MS = 30_000;
/** `postfix stop` waits up to 5 s itself; then we wait this long for the process group to empty. */
const STOP_TIMEOUT_MS = 10_000;
const DEFAULT_LOG_WAIT_MS = 10_000;
const POLL_INTERVAL_MS = 50;
const INSTANCE_DIRECTORY_MODE = 0o755;
const KEY_FILE_MODE = 0o600;
/** Postfix's default `mail_owner`. */
const MAIL_OWNER = 'postfix';
/** The queue directories where a message would sit: none has a daemon to move it on in this instance. */
const QUEUE_SUBDIRECTORIES = ['maildrop', 'incoming', 'active', 'deferred', 'hold', 'corrupt'];

const execFileAsync = promisify(execFile);

/** A running private Postfix: its own config, queue, log and listener, none shared with the system's. */
export interface PostfixInstance {
  host: string;
  port: number;
  hostname: string;
  paths: PostfixPaths;
  /** The master daemon; every Postfix process of this instance is in its process group. */
  masterPid: number;
  /** The whole `maillog_file` so far. */
  log(): Promise<string>;
  /** Waits until at least `count` log lines match, and returns every matching line. */
  waitForLog(pattern: RegExp, options?: { count?: number; timeoutMs?: number }): Promise<string[]>;
  /** Files in the queue directories (a queued message is one file). */
  queueFiles(): Promise<string[]>;
  /** `postqueue -p` output, e.g. "Mail queue is empty". */
  listQueue(): Promise<string>;
  /** Process ids still in the master's process group (empty once stopped). */
  processes(): Promise<number[]>;
  /** `postfix stop`, wait until no process of the instance remains, delete the instance directory. */
  stop(): Promise<void>;
}

/** Starts a private Postfix instance on a fresh loopback address and ephemeral port. Needs root. */
export async function startPostfix(options: PostfixOptions): Promise<PostfixInstance> {
  const commands = await findCommands();
  if (process.getuid?.() !== 0) {
    throw new PostfixError('not_root', "Postfix's master daemon runs only as root; run this test as root");
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'mailprobe-postfix-'));
  // Postfix daemons drop to the postfix user and must still reach the queue inside this directory.
  await chmod(root, INSTANCE_DIRECTORY_MODE);
  const paths = postfixPaths(root);
  try {
    await writeConfiguration(options, paths);
    for (let attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt += 1) {
      const host = `127.1.200.${randomInt(1, 255)}`;
      const port = await freePort(host);
      if (port === undefined) continue;
      await writeFile(path.join(paths.configDirectory, 'master.cf'), renderMasterCf(host, port));
      // `check` creates the queue subdirectories with the owners Postfix demands.
      await run(commands.postfix, ['-c', paths.configDirectory, 'check']);
      const started = await startMaster(commands.postfix, paths);
      if (started.kind === 'running') {
        return instance({ host, port, options, paths, commands, ...started });
      }
      if (!started.addressInUse)
        throw new PostfixError('start_failed', `postfix did not start:\n${started.log}`);
    }
    throw new PostfixError('start_failed', `no free listener address after ${MAX_START_ATTEMPTS} attempts`);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

interface Commands {
  postfix: string;
  postqueue: string;
}

async function findCommands(): Promise<Commands> {
  for (const directory of COMMAND_DIRECTORIES) {
    const postfix = path.join(directory, 'postfix');
    try {
      await access(postfix);
      return { postfix, postqueue: path.join(directory, 'postqueue') };
    } catch {}
  }
  throw new PostfixError(
    'not_installed',
    `no postfix command in ${COMMAND_DIRECTORIES.join(', ')}: apt-get install postfix (.ci/run does)`,
  );
}

async function writeConfiguration(options: PostfixOptions, paths: PostfixPaths): Promise<void> {
  await mkdir(paths.configDirectory);
  // Postfix fills these two (with the owners it demands) but does not create them; data/ must be its own.
  await mkdir(paths.queueDirectory);
  await mkdir(paths.dataDirectory);
  const owner = await mailOwner();
  await chown(paths.dataDirectory, owner.uid, owner.gid);
  for (const [name, content] of Object.entries(postfixTables(options))) {
    await writeFile(path.join(paths.configDirectory, name), content);
  }
  const credentials = await selfSignedCredentials();
  await writeFile(paths.certificateFile, credentials.cert);
  await writeFile(paths.keyFile, credentials.key, { mode: KEY_FILE_MODE });
  await writeFile(path.join(paths.configDirectory, 'main.cf'), renderMainCf(options, paths));
}

/** The account Postfix daemons run as (Debian: postfix), from the package's defaults. */
async function mailOwner(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number.parseInt(await run('id', [flag, MAIL_OWNER]), 10);
  return { uid: await id('-u'), gid: await id('-g') };
}

/** A port free on `host` right now (Postfix binds it moments later; a collision is retried). */
async function freePort(host: string): Promise<number | undefined> {
  const server = createServer();
  try {
    return await listen(server, host, 0);
  } catch (error) {
    if (isAddressInUse(error)) return undefined;
    throw error;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

type StartOutcome =
  | { kind: 'running'; child: ChildProcess; masterPid: number }
  | { kind: 'failed'; addressInUse: boolean; log: string };

/** `postfix start-fg`: the master stays a child of ours, so its exit is seen at once. */
async function startMaster(postfix: string, paths: PostfixPaths): Promise<StartOutcome> {
  const child = spawn(postfix, ['-c', paths.configDirectory, 'start-fg'], { stdio: 'ignore' });
  const exited = once(child, 'exit');
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  while (Date.now() < deadline) {
    const log = await readLog(paths);
    if (/postfix\/master\[\d+\]: daemon started/.test(log)) {
      return { kind: 'running', child, masterPid: await readMasterPid(paths) };
    }
    if (exitedEarly) return { kind: 'failed', addressInUse: /Address already in use/.test(log), log };
    await sleep(POLL_INTERVAL_MS);
  }
  await run(postfix, ['-c', paths.configDirectory, 'stop']).catch(() => undefined);
  throw new PostfixError(
    'timeout',
    `postfix did not start within ${START_TIMEOUT_MS} ms:\n${await readLog(paths)}`,
  );
}

async function readLog(paths: PostfixPaths): Promise<string> {
  try {
    return await readFile(paths.logFile, 'utf8');
  } catch {
    return '';
  }
}

async function readMasterPid(paths: PostfixPaths): Promise<number> {
  const text = await readFile(path.join(paths.queueDirectory, 'pid', 'master.pid'), 'utf8');
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 1) throw new PostfixError('start_failed', `bad master.pid: ${text}`);
  return pid;
}

/** Process ids whose process group is `group` (Linux /proc). */
async function processGroupMembers(group: number): Promise<number[]> {
  const members: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
    const [state, , processGroup] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && Number(processGroup) === group) members.push(Number(entry));
  }
  return members;
}

async function run(file: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, args, { encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
    throw new PostfixError('start_failed', `${path.basename(file)} ${args.join(' ')} failed: ${stderr}`, {
      cause: error,
    });
  }
}

async function listFiles(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

function instance(context: {
  host: string;
  port: number;
  options: PostfixOptions;
  paths: PostfixPaths;
  commands: Commands;
  child: ChildProcess;
  masterPid: number;
}): PostfixInstance {
  const { host, port, options, paths, commands, child, masterPid } = context;
  const exited = child.exitCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined);
  let stopping: Promise<void> | undefined;

  async function stop(): Promise<void> {
    await run(commands.postfix, ['-c', paths.configDirectory, 'stop']).catch(() => undefined);
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while ((await processGroupMembers(masterPid)).length > 0 && Date.now() < deadline) {
      await sleep(POLL_INTERVAL_MS);
    }
    const left = await processGroupMembers(masterPid);
    if (left.length > 0) {
      process.kill(-masterPid, 'SIGKILL');
      throw new PostfixError('stop_failed', `postfix processes ${left.join(', ')} outlived "postfix stop"`);
    }
    await exited;
    await rm(paths.root, { recursive: true, force: true });
  }

  return {
    host,
    port,
    hostname: options.hostname ?? DEFAULT_POSTFIX_HOSTNAME,
    paths,
    masterPid,
    log: () => readLog(paths),
    async waitForLog(pattern, { count = 1, timeoutMs = DEFAULT_LOG_WAIT_MS } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const log = await readLog(paths);
        const lines = log.split('\n').filter((line) => pattern.test(line));
        if (lines.length >= count) return lines;
        if (Date.now() >= deadline) {
          throw new PostfixError('timeout', `fewer than ${count} log lines match ${pattern}:\n${log}`);
        }
        await sleep(POLL_INTERVAL_MS);
      }
    },
    async queueFiles() {
      const lists = await Promise.all(
        QUEUE_SUBDIRECTORIES.map((name) => listFiles(path.join(paths.queueDirectory, name))),
      );
      return lists.flat();
    },
    listQueue: () => run(commands.postqueue, ['-c', paths.configDirectory, '-p']),
    processes: () => processGroupMembers(masterPid),
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}
