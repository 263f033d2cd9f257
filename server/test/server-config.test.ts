import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJsonLogger } from "../src/kit/logger";
import { loadServerConfig, serverConfig } from "../src/config/server-config";

describe("loadServerConfig", () => {
  let dataDir: string;
  const lines: string[] = [];
  const log = createJsonLogger({ write: (line) => void lines.push(line) });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "flowdeck-config-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(`${dataDir}-secrets`, { recursive: true, force: true });
  });

  it("uses FLOWDECK_JWT_SECRET and the CORS list from the environment", async () => {
    const config = await loadServerConfig({
      env: {
        FLOWDECK_JWT_SECRET: "s".repeat(40),
        FLOWDECK_CORS_ORIGINS: "https://a.example, https://b.example",
      },
      log,
    });
    expect(new TextDecoder().decode(config.jwtSecret)).toBe("s".repeat(40));
    expect(config.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(config.accessTokenTtlSeconds).toBe(900);
  });

  it("generates a development secret once, keeps it private, warns without printing it", async () => {
    // In a secrets folder of its own, never the data folder (secret-files.test.ts covers where and why).
    const env = { FLOWDECK_SECRETS_DIR: join(dataDir, "..", `${dataDir.split("/").pop()}-secrets`) };
    const first = await loadServerConfig({ env, dataDir, log });
    const second = await loadServerConfig({ env, dataDir, log });
    expect(Buffer.from(second.jwtSecret).equals(Buffer.from(first.jwtSecret))).toBe(true);
    const file = join(env.FLOWDECK_SECRETS_DIR, "jwt-secret");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const secret = (await readFile(file, "utf8")).trim();
    expect(lines.join("")).toContain("generated a development secret");
    expect(lines.join("")).not.toContain(secret);
  });

  it("refuses a missing secret in production and a short one anywhere", async () => {
    await expect(loadServerConfig({ env: { NODE_ENV: "production" }, dataDir, log })).rejects.toThrow(
      /FLOWDECK_JWT_SECRET is required/,
    );
    expect(() => serverConfig("short")).toThrow(/at least 32 bytes/);
  });
});
