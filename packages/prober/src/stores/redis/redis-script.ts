import { createHash } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';

type ScriptArgument = string | number;
type ScriptCommand = (numberOfKeys: number, ...args: ScriptArgument[]) => Promise<unknown>;

/** Command names of the scripts, by their text (the scripts are constants: each is hashed once). */
const names = new Map<string, string>();
/** The scripts each connection has had defined. */
const defined = new WeakMap<Redis, Set<string>>();

/**
 * Defines `lua` on `redis` as a custom command (ioredis's `defineCommand`): sent by its SHA1 (EVALSHA) and, when
 * Redis does not know it (first use, or a Redis restarted since), loaded again by ioredis. EVAL sent the whole
 * script on every call: on Redis the text of the fleet limiter's and job store's scripts was most of what a job's
 * node wrote to its socket. Returns the command's name; define before making a pipeline that uses it.
 */
export function defineScript(redis: Redis, lua: string): string {
  let name = names.get(lua);
  if (!name) {
    name = `mp_${createHash('sha1').update(lua).digest('hex').slice(0, 16)}`;
    names.set(lua, name);
  }
  let done = defined.get(redis);
  if (!done) {
    done = new Set();
    defined.set(redis, done);
  }
  if (!done.has(name)) {
    // No fixed key count: the first argument of each call is the number of keys, as with EVAL.
    redis.defineCommand(name, { lua });
    done.add(name);
  }
  return name;
}

/** Runs `lua` with `numberOfKeys` keys first in `args`, as `redis.eval` would, but by its SHA1. */
export function evalScript(
  redis: Redis,
  lua: string,
  numberOfKeys: number,
  ...args: ScriptArgument[]
): Promise<unknown> {
  const command = (redis as unknown as Record<string, ScriptCommand>)[
    defineScript(redis, lua)
  ] as ScriptCommand;
  return command.call(redis, numberOfKeys, ...args);
}

/** Queues `lua` on a pipeline of `redis` made after `defineScript(redis, lua)`. */
export function queueScript(
  pipeline: ChainableCommander,
  name: string,
  numberOfKeys: number,
  ...args: ScriptArgument[]
): void {
  const command = (pipeline as unknown as Record<string, ScriptCommand>)[name];
  if (!command) throw new Error(`script ${name} is not defined on this connection`);
  void command.call(pipeline, numberOfKeys, ...args);
}
