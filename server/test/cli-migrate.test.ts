import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentServerLogger } from "../src/kit/logger";
import { startServer } from "../src/app/start-server";
import type { CliIo } from "../src/cli/io";
import { migrateCommand } from "../src/cli/migrate-command";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";

function captureIo(): { io: CliIo; out: string[] } {
  const out: string[] = [];
  const io: CliIo = {
    out: (line) => void out.push(line),
    write: (text) => void out.push(text),
    err: () => undefined,
    readText: () => Promise.reject(new Error("no files here")),
    writeText: () => Promise.reject(new Error("no files here")),
  };
  return { io, out };
}

// A deployment migrates once (a job running `flowdeck migrate`), then starts replicas that only check.
describe("flowdeck migrate and FLOWDECK_MIGRATE_ON_START", () => {
  let folder: string;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "flowdeck-migrate-"));
    // Its runtime migrations are applied; the server's are not.
    database = await createTestDatabase("pg");
    const url = new URL(
      process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    );
    url.pathname = `/${database.name}`;
    env = {
      DATABASE_URL: url.toString(),
      FLOWDECK_DATA_DIR: join(folder, "data"),
      FLOWDECK_SECRETS_DIR: join(folder, "secrets"),
      FLOWDECK_MIGRATE_ON_START: "false",
    };
  });
  afterAll(async () => {
    await database?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("refuses to start on a database that lacks migrations, then starts once `migrate` applied them", async () => {
    const before = captureIo();
    expect(await migrateCommand(before.io, { check: true, env })).toBe(1);
    const pending = JSON.parse(before.out[0]!).pending as string[];
    expect(pending).toContain("1000_accounts");
    expect(pending.every((id) => id >= "1000")).toBe(true);

    await expect(startServer({ env, log: silentServerLogger, port: 0 })).rejects.toMatchObject({
      code: "FD394",
      message: expect.stringContaining("1000_accounts"),
    });

    const applied = captureIo();
    expect(await migrateCommand(applied.io, { check: false, env })).toBe(0);
    expect(JSON.parse(applied.out[0]!)).toMatchObject({ event: "migrated", applied: pending, driver: "pg" });
    const after = captureIo();
    expect(await migrateCommand(after.io, { check: true, env })).toBe(0);
    expect(JSON.parse(after.out[0]!)).toEqual({ event: "migrations", pending: [] });

    const server = await startServer({ env, log: silentServerLogger, port: 0 });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("names a FLOWDECK_MIGRATE_ON_START it does not understand", async () => {
    await expect(
      startServer({
        env: { ...env, FLOWDECK_MIGRATE_ON_START: "sometimes" },
        log: silentServerLogger,
        port: 0,
      }),
    ).rejects.toMatchObject({ code: "FD398", message: expect.stringContaining("sometimes") });
  }, 30_000);
});
