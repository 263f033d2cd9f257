/**
 * Issue 19: a node package installed from its tarball into a clean folder, as an operator would, is used by
 * the CLI (`schema`, `validate`), served to the editor (`GET /node-types`) and runs from a published flow; a
 * broken or missing package refuses the start with its name and the reason (FD395).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { silentServerLogger } from "../src/kit/logger";
import { startServer, type RunningServer } from "../src/app/start-server";
import { loadNodeTypes } from "../src/node-packages/load-node-packages";
import type { JsonBody } from "./support/test-server";

const SERVER = fileURLToPath(new URL("..", import.meta.url));
const WEATHER = fileURLToPath(new URL("../../examples/flowdeck-node-weather", import.meta.url));
const ADMIN_URL = process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PACKAGE = "@acme/flowdeck-node-weather";

/** What wttr.in answers for `?format=j1`, trimmed to the fields the executor reads. */
const FORECAST = {
  current_condition: [{ temp_C: "14", temp_F: "57", weatherDesc: [{ value: "Light rain" }] }],
  weather: [
    { date: "2026-12-05", mintempC: "9", maxtempC: "15", hourly: [{ weatherDesc: [{ value: "Cloudy" }] }] },
    { date: "2026-12-06", mintempC: "8", maxtempC: "13", hourly: [{ weatherDesc: [{ value: "Sunny" }] }] },
  ],
};

const flow = (serviceUrl: string) => `name: delivery_weather
nodes:
  - { name: start, type: start }
  - name: weather
    type: acme.weather
    type_version: 1
    # Written for version 1 (\`city\`): the package's migration brings it to \`location\`.
    config: { city: "{{ input.message }}", days: 2, service_url: "${serviceUrl}" }
  - name: done
    type: end
    config: { reply: "{{ nodes.weather.output.temperature }} °C, {{ nodes.weather.output.conditions }}", outcome: resolved }
edges:
  - { from: start, to: weather }
  - { from: weather, to: done }
`;

function cli(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: SERVER,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

describe("node packages", () => {
  let workspace: string;
  let packagesEnv: NodeJS.ProcessEnv;
  let weatherService: Server;
  let weatherUrl: string;
  const seenPaths: string[] = [];

  beforeAll(async () => {
    // An operator's folder: the tarball `npm pack` makes, installed with npm (no dependencies, so offline).
    workspace = mkdtempSync(join(tmpdir(), "flowdeck-packages-"));
    writeFileSync(join(workspace, "package.json"), JSON.stringify({ name: "ops", private: true }));
    execFileSync("npm", ["pack", WEATHER, "--pack-destination", workspace, "--silent"], { stdio: "pipe" });
    const tarball = readdirSync(workspace).find((file) => file.endsWith(".tgz"))!;
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", `./${tarball}`], {
      cwd: workspace,
      stdio: "pipe",
    });
    packagesEnv = { FLOWDECK_NODE_PACKAGES: PACKAGE, FLOWDECK_NODE_PACKAGES_DIR: workspace };
    weatherService = createServer((req, res) => {
      seenPaths.push(req.url ?? "");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(FORECAST));
    });
    await new Promise<void>((resolve) => weatherService.listen(0, "127.0.0.1", resolve));
    weatherUrl = `http://127.0.0.1:${(weatherService.address() as { port: number }).port}`;
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => weatherService?.close(resolve));
    rmSync(workspace, { recursive: true, force: true });
  });

  it("shows the package's type in `flowdeck schema` and validates a flow using it", () => {
    const schema = cli(["schema"], packagesEnv);
    expect(schema.status).toBe(0);
    expect(schema.stdout).toContain('"acme.weather"');
    const file = join(workspace, "delivery_weather.yaml");
    writeFileSync(file, flow(weatherUrl));
    const valid = cli(["validate", file], packagesEnv);
    expect({ status: valid.status, out: valid.stdout }).toMatchObject({ status: 0 });
    // Without the package the same flow names an unknown type.
    const without = cli(["validate", file], {});
    expect(without.status).not.toBe(0);
    expect(without.stdout).toContain("FD114");
  }, 60_000);

  it("refuses a start with a missing, clashing or executor-less package, naming it and why", async () => {
    const missing = cli(["schema"], {
      FLOWDECK_NODE_PACKAGES: "@acme/not-installed",
      FLOWDECK_NODE_PACKAGES_DIR: workspace,
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      'FD395 Node package "@acme/not-installed" cannot be loaded: it is not installed',
    );
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    const weatherLike = (type: string, withExecutor: boolean) => `
      export default ({ defineNode, Type }) => ({
        nodes: [defineNode({
          type: "${type}", version: 1,
          meta: { title: "X", category: "tools", icon: "cloud", description: "x", docs: "x" },
          config: Type.Object({}, { additionalProperties: false }),
          ports: { inputs: ["in"], outputs: ["out"] }, waits: false, examples: [{}],
        })],
        executors: ${withExecutor ? `{ "${type}": async () => ({ output: {} }) }` : "{}"},
      });`;
    // One folder per case: a module, once imported, stays cached under its URL.
    const brokenPackage = (name: string, source: string) => {
      mkdirSync(join(workspace, name));
      writeFileSync(
        join(workspace, name, "package.json"),
        JSON.stringify({ name, type: "module", exports: "./index.js" }),
      );
      writeFileSync(join(workspace, name, "index.js"), source);
      return { FLOWDECK_NODE_PACKAGES: `${PACKAGE},./${name}`, FLOWDECK_NODE_PACKAGES_DIR: workspace };
    };
    await expect(
      loadNodeTypes(brokenPackage("clash", weatherLike("acme.weather", true))),
    ).rejects.toMatchObject({
      code: "FD395",
      message: expect.stringMatching(/^Node package "\.\/clash" cannot be loaded: FD150 .*acme\.weather/),
    });
    await expect(
      loadNodeTypes(brokenPackage("no-executor", weatherLike("acme.snow", false))),
    ).rejects.toMatchObject({
      code: "FD395",
      message: expect.stringContaining('defines "acme.snow" but no executor'),
    });
    await expect(loadNodeTypes(brokenPackage("empty", "export const nothing = 1;"))).rejects.toMatchObject({
      code: "FD395",
      message: expect.stringContaining("exports no node definitions"),
    });
    writeFileSync(join(workspace, "flowdeck.config.json"), "{ nodePackages: ");
    await expect(loadNodeTypes({ FLOWDECK_NODE_PACKAGES_DIR: workspace })).rejects.toMatchObject({
      code: "FD395",
      message: expect.stringContaining("flowdeck.config.json"),
    });
    rmSync(join(workspace, "flowdeck.config.json"));
  }, 60_000);

  describe("in a running server", () => {
    let database: TestDatabase;
    let server: RunningServer;
    let token: string;

    beforeAll(async () => {
      database = await createTestDatabase("pg");
      const url = new URL(ADMIN_URL);
      url.pathname = `/${database.name}`;
      server = await startServer({
        env: {
          ...packagesEnv,
          DATABASE_URL: url.toString(),
          FLOWDECK_DATA_DIR: join(workspace, "data"),
          FLOWDECK_SECRETS_DIR: join(workspace, "secrets"),
          FLOWDECK_JWT_SECRET: randomBytes(32).toString("hex"),
          // The weather service of this test listens on loopback, which tools reach only when listed.
          FLOWDECK_HTTP_ALLOW_LIST: "127.0.0.1",
          NODE_ENV: "test",
        },
        port: 0,
        log: silentServerLogger,
      });
      token = (
        await call("POST", "/auth/register", {
          tenantName: "Acme",
          email: "ops@acme.test",
          password: "a long enough password",
        })
      ).accessToken as string;
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await database?.close();
    });

    async function call(method: string, path: string, body?: unknown): Promise<JsonBody> {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as JsonBody;
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
      return json;
    }

    it("serves the package's node types to the editor", async () => {
      const catalog = await call("GET", "/node-types");
      expect(catalog.packages).toEqual([{ name: PACKAGE, version: "1.0.0", types: ["acme.weather"] }]);
      expect(catalog.nodeTypes).toHaveLength(1);
      expect(catalog.nodeTypes[0]).toMatchObject({
        type: "acme.weather",
        version: 2,
        package: PACKAGE,
        meta: { title: "Weather", category: "tools" },
        ports: { outputs: ["out", "error"] },
      });
      expect(catalog.nodeTypes[0].config.properties.location).toBeDefined();
    });

    it("runs it from a published flow, through the allow-listed HTTP client", async () => {
      const created = await call("POST", "/workflows", { yaml: flow(weatherUrl) });
      expect(created.problems ?? []).toEqual([]);
      await call("POST", `/workflows/${created.id}/publish`, {});
      const started = await call("POST", "/runs", {
        workflow: "delivery_weather",
        input: { message: "Lisbon" },
      });
      const run = await server.runs
        .settled(started.tenantId ?? "", started.id as string, 15_000)
        .catch(() => undefined);
      const detail = await call("GET", `/runs/${started.id}`);
      expect({ status: detail.status, run: run?.status ?? detail.status }).toMatchObject({
        status: "completed",
      });
      const step = (detail.steps as JsonBody[]).find((s) => s.nodeName === "weather" || s.node === "weather");
      expect(step?.output).toEqual({
        location: "Lisbon",
        temperature: 14,
        conditions: "Light rain",
        forecast: [
          { date: "2026-12-05", min: 9, max: 15, conditions: "Cloudy" },
          { date: "2026-12-06", min: 8, max: 13, conditions: "Sunny" },
        ],
      });
      expect(seenPaths).toContain("/Lisbon?format=j1&m");
    }, 30_000);
  });
});
