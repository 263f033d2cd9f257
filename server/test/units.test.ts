import { describe, expect, it } from "vitest";
import type { Response } from "express";
import { ApiError } from "../src/kit/api-error";
import { createJsonLogger, redact } from "../src/kit/logger";
import { createLoginThrottle, loginThrottleKey } from "../src/auth/login-throttle";
import { requireRole } from "../src/auth/require-role";
import type { Role } from "../src/kit/roles";
import { parseRefreshToken } from "../src/auth/refresh-tokens";

function runRole(role: Role, required: Role): unknown {
  let result: unknown = "not called";
  const res = { locals: { auth: { userId: "u", tenantId: "t", role } } } as unknown as Response;
  requireRole(required)({} as never, res, (error?: unknown) => {
    result = error ?? "next";
  });
  return result;
}

describe("requireRole", () => {
  it("admits the role and stronger ones, refuses weaker ones with 403 FD313", () => {
    expect(runRole("editor", "editor")).toBe("next");
    expect(runRole("owner", "editor")).toBe("next");
    expect(runRole("admin", "editor")).toBe("next");
    const refused = runRole("viewer", "editor");
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: "FD313", status: 403 });
  });
});

describe("login throttle", () => {
  it("refuses after maxFailures within the window and forgets after it", () => {
    const throttle = createLoginThrottle({ maxFailures: 2, windowMs: 60_000 });
    const key = loginThrottleKey(" A@Example.com", "127.0.0.1");
    expect(key).toBe(loginThrottleKey("a@example.com", "127.0.0.1"));
    throttle.recordFailure(key, 1_000);
    expect(throttle.retryAfterSeconds(key, 1_000)).toBe(0);
    throttle.recordFailure(key, 2_000);
    expect(throttle.retryAfterSeconds(key, 2_000)).toBe(59);
    expect(throttle.retryAfterSeconds(loginThrottleKey("a@example.com", "10.0.0.1"), 2_000)).toBe(0);
    expect(throttle.retryAfterSeconds(key, 62_001)).toBe(0);
  });

  it("caps the number of tracked keys", () => {
    const throttle = createLoginThrottle({ maxFailures: 1, windowMs: 60_000, maxKeys: 2 });
    for (const key of ["a", "b", "c"]) throttle.recordFailure(key, 0);
    expect(throttle.retryAfterSeconds("a", 0)).toBe(0);
    expect(throttle.retryAfterSeconds("c", 0)).toBeGreaterThan(0);
  });
});

describe("redaction", () => {
  it("replaces secrets at any depth and keeps the rest", () => {
    expect(
      redact({
        user: "ann",
        password: "p",
        nested: { refreshToken: "r", authorization: "Bearer x", list: [{ apiKey: "k", ok: 1 }] },
        jwtSecret: "s",
      }),
    ).toEqual({
      user: "ann",
      password: "[redacted]",
      nested: {
        refreshToken: "[redacted]",
        authorization: "[redacted]",
        list: [{ apiKey: "[redacted]", ok: 1 }],
      },
      jwtSecret: "[redacted]",
    });
    const lines: string[] = [];
    createJsonLogger({ write: (line) => void lines.push(line) }).info("x", { password_hash: "h" });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", msg: "x", password_hash: "[redacted]" });
  });
});

describe("refresh token format", () => {
  it("parses only fdr.<uuid>.<uuid>.<43 base64url chars>", () => {
    const tenant = "3f0c6a52-9d1b-4e55-8f63-2a7d3c1b9e40";
    const secret = "A".repeat(43);
    expect(parseRefreshToken(`fdr.${tenant}.${tenant}.${secret}`)).toEqual({
      tenantId: tenant,
      id: tenant,
      secret,
    });
    for (const bad of [
      `fdx.${tenant}.${tenant}.${secret}`,
      `fdr.${tenant}.${tenant}.${secret}.x`,
      `fdr.x.${tenant}.${secret}`,
      "",
    ]) {
      expect(parseRefreshToken(bad)).toBeUndefined();
    }
  });
});
