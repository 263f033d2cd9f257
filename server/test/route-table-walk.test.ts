import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRouteTable } from "../src/kit/route-table";
import { createBodyAjv } from "../src/kit/validate-body";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";

/** A concrete path for a route pattern: every `:param` becomes a random-looking UUID. */
function concrete(path: string): string {
  return path.replace(/:[A-Za-z_]+/g, "3f0c6a52-9d1b-4e55-8f63-2a7d3c1b9e40");
}

describe.each(TEST_DATABASE_KINDS)("the route table walk (%s)", (kind) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    token = (await registerAccount(server)).body.accessToken;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers 401 FD310 anonymously on every route that requires a user", async () => {
    const protectedRoutes = getRouteTable(server.app).filter((route) => route.auth === "user");
    expect(protectedRoutes.length).toBeGreaterThan(0);
    const answers: Record<string, string> = {};
    for (const route of protectedRoutes) {
      const res = await server.request(route.method.toUpperCase(), concrete(route.path), { body: {} });
      answers[`${route.method} ${route.path}`] = `${res.status} ${res.body.error.code}`;
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(answers).toEqual(
      Object.fromEntries(protectedRoutes.map((route) => [`${route.method} ${route.path}`, "401 FD310"])),
    );
  });

  it("never lets a path variant of a protected route through, even with a valid token for the original", async () => {
    const protectedRoutes = getRouteTable(server.app).filter((route) => route.auth === "user");
    for (const route of protectedRoutes) {
      const path = concrete(route.path);
      const segments = path.split("/").filter(Boolean);
      const variants = [
        path.toUpperCase(),
        path.replace(/^\/(.)/, (_m, first: string) => `/${first.toUpperCase()}`),
        `${path}/`,
        `/${path}`,
        path.replace(/\//g, "//"),
        `/${segments[0]}/%2e%2e${path}`,
        `/${segments[0]}/%2E%2E${path}`,
        `/${segments[0]}/..${path}`,
        `${path}%2f`,
        `${path};`,
        path.replace(/\/([^/]+)$/, "/%2e/$1"),
      ];
      const method = route.method.toUpperCase();
      const leaks: string[] = [];
      for (const variant of variants) {
        const anonymous = await server.request(method, variant);
        if (anonymous.status !== 401 && anonymous.status !== 404)
          leaks.push(`${variant} anonymous ${anonymous.status}`);
        // With a token, a variant must not reach any handler: it is not a route at all.
        const withToken = await server.request(method, variant, { token });
        if (withToken.status !== 404) leaks.push(`${variant} with token ${withToken.status}`);
      }
      expect(leaks).toEqual([]);
    }
  });

  it("describes every route completely, so the OpenAPI document can be generated from it", () => {
    const table = getRouteTable(server.app);
    const keys = table.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const problems = table.flatMap((route) => {
      const key = `${route.method} ${route.path}`;
      const found: string[] = [];
      if (!/^\/[a-z0-9/:_-]*[a-z0-9]$/.test(route.path))
        found.push(`${key}: path not lower-case or ends in /`);
      if (route.summary.length === 0) found.push(`${key}: no summary`);
      const body = route.body as { additionalProperties?: unknown } | undefined;
      if (body && body.additionalProperties !== false) found.push(`${key}: body allows unknown fields`);
      if (route.role && route.auth !== "user") found.push(`${key}: a role on a public route`);
      if (
        route.body &&
        !(route.example !== undefined && createBodyAjv().validate(route.body, route.example))
      ) {
        found.push(`${key}: no valid example body`);
      }
      if (route.path.includes("/:id") && route.auth === "user" && !route.resource) {
        found.push(`${key}: names a row by id but declares no resource table`);
      }
      // Any other parameter (a version, a template's name) needs a value the walks and the OpenAPI example use.
      for (const [, param] of route.path.matchAll(/\/:([A-Za-z_]+)/g)) {
        if (param !== "id" && route.exampleParams?.[param!] === undefined)
          found.push(`${key}: no example value for :${param}`);
      }
      return found;
    });
    expect(problems).toEqual([]);
  });
});
