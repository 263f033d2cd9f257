import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALLOWED_KEYWORD } from "../src/kit/body-problem";
import { fieldLabel, humanizeKey } from "../src/kit/field-label";
import { getRouteTable } from "../src/kit/route-table";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";

// A first-time user walk met FD300s that quoted regular expressions and 0-based JSON pointers
// (`Field /name must match pattern "^[a-z][a-z0-9_]{0,63}$"`, `Field /entries/1: …`). The editor shows the
// message and hint as they come, so both must read as sentences for tenant staff; programs read `details`.

/** Every `pattern` in a schema, with whether it carries words for people. */
function patterns(schema: unknown, at: string): { at: string; pattern: string; words: boolean }[] {
  if (typeof schema !== "object" || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const own =
    typeof node.pattern === "string"
      ? [{ at, pattern: node.pattern, words: typeof node[ALLOWED_KEYWORD] === "string" }]
      : [];
  return [
    ...own,
    ...Object.entries(node).flatMap(([key, value]) =>
      Array.isArray(value)
        ? value.flatMap((item, index) => patterns(item, `${at}/${key}/${index}`))
        : patterns(value, `${at}/${key}`),
    ),
  ];
}

/** Developer wording that must not reach a person. */
const RAW = /must match pattern|\^\[|\/entries\/\d|details\.problems|Field \//;

describe("request-validation wording (FD300)", () => {
  let server: TestServer;
  let token: string;
  const call = (method: string, path: string, body: unknown, as = token) =>
    server.request(method, path, { token: as, body });

  beforeAll(async () => {
    server = await startTestServer("pg");
    token = (await registerAccount(server)).body.accessToken;
  });
  afterAll(() => server?.close());

  it("gives every pattern in a route body words for people (\\S, 'not blank', needs none)", () => {
    const missing = getRouteTable(server.app)
      .filter((route) => route.body)
      .flatMap((route) =>
        patterns(route.body, `${route.method} ${route.path}`).filter((p) => p.pattern !== "\\S" && !p.words),
      );
    expect(missing).toEqual([]);
  });

  it("says what a credential name may be instead of quoting its pattern, with the pointer in details", async () => {
    const bad = await call("POST", "/settings/credentials", { name: "Order API", value: "secret-1234" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: "FD300",
      message:
        "Credential name: use lowercase letters, digits and underscores, starting with a letter; at most 64 characters.",
      details: { field: "/name", keyword: "pattern" },
    });
    expect(bad.body.error.details.params.pattern).toBe("^[a-z][a-z0-9_]{0,63}$");
    expect(`${bad.body.error.message} ${bad.body.error.hint}`).not.toMatch(RAW);
  });

  it("names a list entry from 1 in the message and keeps the 0-based pointer in details", async () => {
    const unreadable = await call("PUT", "/settings/http-allow-list", {
      entries: ["10.0.0.1", "not a host!"],
    });
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.error.message).toBe(
      'Entry 2, "not a host!", is neither an IP address, a CIDR range nor a host name.',
    );
    expect(unreadable.body.error.details).toMatchObject({ field: "/entries/1" });
    const empty = await call("PUT", "/settings/http-allow-list", { entries: ["10.0.0.1", "10.0.0.2", ""] });
    expect(empty.body.error).toMatchObject({
      message: "Entry 3 cannot be empty.",
      details: { field: "/entries/2", keyword: "minLength" },
    });
    for (const answer of [unreadable, empty])
      expect(`${answer.body.error.message} ${answer.body.error.hint}`).not.toMatch(RAW);
  });

  it("words lengths, formats, choices and required fields with the form's labels", async () => {
    const cases: [string, string, unknown, string, string][] = [
      [
        "POST",
        "/auth/register",
        { tenantName: "Acme", email: "a@example.com", password: "short" },
        "Password must be at least 10 characters.",
        "/password",
      ],
      [
        "POST",
        "/auth/register",
        { tenantName: "", email: "b@example.com", password: "long enough password" },
        "Company or team name cannot be empty.",
        "/tenantName",
      ],
      [
        "POST",
        "/invitations",
        { email: "not-an-email", role: "editor" },
        "Email must be an email address, such as name@example.com.",
        "/email",
      ],
      [
        "POST",
        "/invitations",
        { email: "c@example.com", role: "boss" },
        'Role must be one of "admin", "editor", "viewer".',
        "/role",
      ],
      ["POST", "/auth/login", { email: "d@example.com" }, "Password is required.", "/password"],
    ];
    for (const [method, path, body, message, field] of cases) {
      const answer = await call(method, path, body);
      expect({
        path,
        status: answer.status,
        code: answer.body.error.code,
        message: answer.body.error.message,
      }).toEqual({ path, status: 400, code: "FD300", message });
      expect(answer.body.error.details.field).toBe(field);
      expect(answer.body.error.hint).not.toMatch(/request body|unknown fields/);
    }
  });

  it("refuses a workflow file with a hint that names no API field", async () => {
    const answer = await call("POST", "/workflows", { yaml: "name: [oops" });
    expect(answer.body.error.code).toBe("FD335");
    expect(answer.body.error.hint).not.toMatch(/details/);
    expect(answer.body.error.details.problems.length).toBeGreaterThan(0);
    // Where and what in words ("Line 1, column 12: …"), not the command line's "1:12 FD100 …".
    const [first] = answer.body.error.details.problems;
    expect(answer.body.error.message).toBe(
      `The YAML cannot be loaded. Line ${first.line}, column ${first.column}: ${first.message}`,
    );
    expect(answer.body.error.message).not.toContain("FD100");
  });
});

describe("field labels", () => {
  const schema = {
    type: "object",
    properties: {
      baseUrl: { anyOf: [{ type: "string" }, { type: "null" }] },
      entries: { type: "array", items: { type: "string", title: "Entry" } },
      origins: { type: "array", items: { type: "string" } },
      tenantName: { type: "string", title: "Company or team name" },
    },
  };

  it("uses titles, then the key's words, and counts list entries from 1", () => {
    expect(fieldLabel(schema, "/tenantName")).toBe("Company or team name");
    expect(fieldLabel(schema, "/baseUrl")).toBe("Base URL");
    expect(fieldLabel(schema, "/entries/0")).toBe("Entry 1");
    expect(fieldLabel(schema, "/origins/4")).toBe("Origins, item 5");
    expect(humanizeKey("expiresAt")).toBe("Expires at");
    const orders = { properties: { items: { items: { properties: { unitPrice: {} } } } } };
    expect(fieldLabel(orders, "/items/1/unitPrice")).toBe("Unit price (Items, item 2)");
  });
});
