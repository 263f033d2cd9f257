import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { createApp } from "../src/app/create-app";
import { silentServerLogger } from "../src/kit/logger";
import { getRouteTable } from "../src/kit/route-table";
import { startTestServer, type TestServer } from "./support/test-server";

describe("app basics", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer("pglite", {
      corsOrigins: ["https://app.example.com"],
      bodyLimitBytes: 2048,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers /healthz and /readyz without credentials", async () => {
    const health = await server.request("GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok" });
    const ready = await server.request("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready" });
  });

  it("answers /readyz with 503 FD390 when the database is gone", async () => {
    const broken = createApp({
      db: { ...server.testDb.db, transaction: () => Promise.reject(new Error("connection refused")) },
      config: server.config,
      log: silentServerLogger,
      runs: server.runs,
    });
    const listening = broken.listen(0, "127.0.0.1");
    await new Promise((resolve) => listening.once("listening", resolve));
    try {
      const { port } = listening.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: "FD390" } });
    } finally {
      listening.close();
    }
  });

  it("serves an OpenAPI 3.1 document covering every route of the table", async () => {
    const res = await server.request("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const missing = getRouteTable(server.app).filter((route) => {
      const operation = res.body.paths[route.path.replace(/:(\w+)/g, "{$1}")]?.[route.method];
      if (!operation) return true;
      if (route.auth === "user" && operation.security?.[0]?.bearer === undefined) return true;
      const schema = operation.requestBody?.content["application/json"].schema;
      return route.body !== undefined && schema?.additionalProperties !== false;
    });
    expect(missing.map((route) => `${route.method} ${route.path}`)).toEqual([]);
    const operationIds = Object.values(res.body.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId: string }>).map((op) => op.operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(operationIds.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id))).toEqual([]);
  });

  it("sets security headers and a request id, and hides the framework", async () => {
    const res = await server.request("GET", "/healthz");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["strict-transport-security"]).toMatch(/max-age=/);
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await server.request("GET", "/healthz", { headers: { "x-request-id": "abc-123" } });
    expect(echoed.headers["x-request-id"]).toBe("abc-123");
    const hostile = await server.request("GET", "/healthz", { headers: { "x-request-id": "a\tb" } });
    expect(hostile.headers["x-request-id"]).not.toBe("a\tb");
  });

  it("answers unknown routes with a 404 error body and no stack", async () => {
    const res = await server.request("GET", "/nope");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: "FD320", message: "No route GET /nope.", hint: expect.any(String) },
    });
  });

  it("answers bad JSON with 400 FD301 and big bodies with 413 FD302", async () => {
    const bad = await server.request("POST", "/auth/login", { rawBody: '{"email":' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("FD301");
    expect(bad.text).not.toContain("SyntaxError");
    const big = await server.request("POST", "/auth/login", {
      body: { email: "a@example.com", password: "x".repeat(4096) },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("FD302");
    const notJson = await server.request("POST", "/auth/login", {
      rawBody: "email=a&password=b",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("FD300");
  });

  it("allows listed origins and refuses the preflight of others", async () => {
    const allowed = await server.request("OPTIONS", "/auth/login", {
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(allowed.headers["access-control-allow-credentials"]).toBeUndefined();
    const refused = await server.request("OPTIONS", "/auth/login", {
      headers: { origin: "https://evil.example.com", "access-control-request-method": "POST" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FD321");
    const simple = await server.request("GET", "/healthz", {
      headers: { origin: "https://evil.example.com" },
    });
    expect(simple.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("logs one JSON line per request without query strings", async () => {
    server.logLines.length = 0;
    await server.request("GET", "/healthz?token=secret-in-query");
    const entries = server.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({ msg: "request", method: "GET", path: "/healthz", status: 200 }),
    );
    expect(server.logLines.join("")).not.toContain("secret-in-query");
  });
});
