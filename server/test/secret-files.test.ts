import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJsonLogger } from "../src/kit/logger";
import { secretsDirFor } from "../src/config/secret-files";
import { loadServerConfig } from "../src/config/server-config";
import { startServer } from "../src/app/start-server";
import { StartupError } from "../src/config/startup-error";
import { loadChannelSecretKey } from "../src/channels/secret-box";
import { runCli } from "../src/cli/main";
import type { CliIo } from "../src/cli/io";
import { readWorkflowFile } from "../src/cli/io";

const log = createJsonLogger({ write: () => undefined });
const warn = () => undefined;

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StartupError) return `${error.code} ${error.message}`;
    throw error;
  }
  throw new Error("expected the start to be refused");
}

describe("development secrets live in a private folder outside the working and data folders", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "flowdeck-secrets-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("generates both secrets once, 0600 in a 0700 folder, and nothing in the data folder", async () => {
    const dataDir = join(root, "fresh", "data");
    const secretsDir = join(root, "fresh", "secrets");
    const env = { FLOWDECK_SECRETS_DIR: secretsDir };
    const first = await loadServerConfig({ env, dataDir, log });
    const key = await loadChannelSecretKey({ env, dataDir, warn });
    const again = await loadServerConfig({ env, dataDir, log });
    expect(Buffer.from(again.jwtSecret).equals(Buffer.from(first.jwtSecret))).toBe(true);
    expect(Buffer.from(await loadChannelSecretKey({ env, dataDir, warn })).equals(Buffer.from(key))).toBe(
      true,
    );
    expect(await modeOf(secretsDir)).toBe(0o700);
    expect(await modeOf(join(secretsDir, "jwt-secret"))).toBe(0o600);
    expect(await modeOf(join(secretsDir, "channel-secret-key"))).toBe(0o600);
    await expect(stat(join(dataDir, "jwt-secret"))).rejects.toThrow(/ENOENT/);
  });

  it("defaults to a per-data-folder place under the user's config folder, never under the working folder", () => {
    const configHome = join(root, "config");
    const a = secretsDirFor({ XDG_CONFIG_HOME: configHome }, "./.flowdeck");
    const b = secretsDirFor({ XDG_CONFIG_HOME: configHome }, join(root, "other", ".flowdeck"));
    expect(a.startsWith(join(configHome, "flowdeck", "secrets", ".flowdeck-"))).toBe(true);
    expect(b).not.toBe(a);
    expect(a.startsWith(process.cwd())).toBe(false);
    expect(() => secretsDirFor({ FLOWDECK_SECRETS_DIR: "./secrets" }, join(root, "d"))).toThrow(
      /FD397|inside the working folder/,
    );
    const inData = secretsDirFor.bind(null, { FLOWDECK_SECRETS_DIR: join(root, "d", "s") }, join(root, "d"));
    expect(inData).toThrow(/inside the data folder/);
  });

  it("moves the secrets an earlier version kept in the data folder, so sessions and sealed secrets survive", async () => {
    const dataDir = join(root, "legacy", "data");
    const secretsDir = join(root, "legacy", "secrets");
    await mkdir(dataDir, { recursive: true });
    const oldSecret = "an-old-development-secret-0123456789-abcdefgh";
    const oldKey = Buffer.alloc(32, 7).toString("base64url");
    await writeFile(join(dataDir, "jwt-secret"), `${oldSecret}\n`, { mode: 0o600 });
    await writeFile(join(dataDir, "channel-secret-key"), `${oldKey}\n`, { mode: 0o600 });
    const env = { FLOWDECK_SECRETS_DIR: secretsDir };
    const config = await loadServerConfig({ env, dataDir, log });
    const key = await loadChannelSecretKey({ env, dataDir, warn });
    expect(new TextDecoder().decode(config.jwtSecret)).toBe(oldSecret);
    expect(Buffer.from(key).toString("base64url")).toBe(oldKey);
    await expect(stat(join(dataDir, "jwt-secret"))).rejects.toThrow(/ENOENT/);
    await expect(stat(join(dataDir, "channel-secret-key"))).rejects.toThrow(/ENOENT/);
    expect((await readFile(join(secretsDir, "jwt-secret"), "utf8")).trim()).toBe(oldSecret);
    expect(await modeOf(join(secretsDir, "channel-secret-key"))).toBe(0o600);
  });

  it("refuses to start (FD396, before opening the database) when a secret file is group- or world-readable", async () => {
    const dataDir = join(root, "open", "data");
    const secretsDir = join(root, "open", "secrets");
    const env = { FLOWDECK_SECRETS_DIR: secretsDir, FLOWDECK_DATA_DIR: dataDir };
    await loadServerConfig({ env, dataDir, log });
    await loadChannelSecretKey({ env, dataDir, warn });
    for (const mode of [0o644, 0o640, 0o604]) {
      await chmod(join(secretsDir, "jwt-secret"), mode);
      expect(await refusal(startServer({ env, log, port: 0 }))).toMatch(
        /^FD396 .*jwt-secret.*group or others/,
      );
    }
    await chmod(join(secretsDir, "jwt-secret"), 0o600);
    await chmod(join(secretsDir, "channel-secret-key"), 0o644);
    expect(await refusal(loadChannelSecretKey({ env, dataDir, warn }))).toMatch(
      /^FD396 .*channel-secret-key/,
    );
    // Refused before PGlite was opened: the data folder was never created.
    await expect(stat(dataDir)).rejects.toThrow(/ENOENT/);
    // A world-writable folder lets another account swap the file: refused too.
    await chmod(join(secretsDir, "channel-secret-key"), 0o600);
    await chmod(secretsDir, 0o777);
    expect(await refusal(loadServerConfig({ env, dataDir, log }))).toMatch(/^FD396 .*folder.*writable/);
    await chmod(secretsDir, 0o700);
  });

  it("refuses a world-readable secret the data folder held before, rather than adopting it", async () => {
    const dataDir = join(root, "leaky", "data");
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, "jwt-secret"), "leaked-development-secret-0123456789-abcdef\n", {
      mode: 0o644,
    });
    await chmod(join(dataDir, "jwt-secret"), 0o644);
    const env = { FLOWDECK_SECRETS_DIR: join(root, "leaky", "secrets") };
    expect(await refusal(loadServerConfig({ env, dataDir, log }))).toMatch(/^FD396 /);
  });

  it("says why on the command line, with the code and the fix and no stack", async () => {
    const dataDir = join(root, "cli", "data");
    const secretsDir = join(root, "cli", "secrets");
    await loadServerConfig({ env: { FLOWDECK_SECRETS_DIR: secretsDir }, dataDir, log });
    await chmod(join(secretsDir, "jwt-secret"), 0o644);
    const saved = { ...process.env };
    Object.assign(process.env, { FLOWDECK_SECRETS_DIR: secretsDir, FLOWDECK_DATA_DIR: dataDir });
    delete process.env.FLOWDECK_JWT_SECRET;
    delete process.env.DATABASE_URL;
    const stderr: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      write: () => undefined,
      err: (line) => stderr.push(line),
      readText: readWorkflowFile,
      writeText: () => Promise.resolve(),
    };
    try {
      expect(await runCli(["serve"], io)).toBe(2);
    } finally {
      process.env = saved;
    }
    expect(stderr[0]).toMatch(/^flowdeck: FD396 The secret file .*jwt-secret is readable/);
    expect(stderr.join("\n")).toContain("chmod 600");
    expect(stderr.join("\n")).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
