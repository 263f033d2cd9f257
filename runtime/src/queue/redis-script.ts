import type { Redis } from "ioredis";

/** Calls a Lua script with its keys and arguments; resolves with what the script returns. */
export type RedisScript = (keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

/**
 * A Lua script sent as EVALSHA (ioredis sends the body once per connection and again after NOSCRIPT, e.g. a
 * restarted Redis), so a call carries a 40-byte hash instead of the script, and on an auto-pipelined
 * connection it shares its socket write with whatever else was issued in the same event-loop iteration.
 */
export function defineScript(redis: Redis, name: string, numberOfKeys: number, lua: string): RedisScript {
  const commandName = `flowdeck_${name}`;
  const commands = redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>;
  if (typeof commands[commandName] !== "function") redis.defineCommand(commandName, { numberOfKeys, lua });
  return (keys, args) => {
    if (keys.length !== numberOfKeys)
      throw new Error(`${name} takes ${numberOfKeys} keys, got ${keys.length}.`);
    return commands[commandName]!.call(redis, ...keys, ...args);
  };
}
