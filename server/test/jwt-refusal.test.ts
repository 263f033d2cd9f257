import { SignJWT, decodeJwt, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, TEST_JWT_SECRET, type TestServer } from "./support/test-server";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";

const secret = new TextEncoder().encode(TEST_JWT_SECRET);

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/**
 * The signature with one bit of its first byte flipped. Not a change of its last characters: the last of 43
 * base64url characters carries 2 unused bits, so "…AA" in place of "…AB" decodes to the same 32 bytes (a valid
 * signature, about once in a thousand tokens).
 */
function flipFirstBit(signature: string): string {
  const bytes = Buffer.from(signature, "base64url");
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString("base64url");
}

describe.each(TEST_DATABASE_KINDS)("access tokens are refused unless exactly right (%s)", (kind) => {
  let server: TestServer;
  let claims: { sub: string; tid: string; role: string; sid: string };
  let validToken: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    const { body } = await registerAccount(server);
    validToken = body.accessToken;
    claims = {
      sub: body.user.id,
      tid: body.tenant.id,
      role: "owner",
      sid: String(decodeJwt(validToken).sid),
    };
  });
  afterAll(async () => {
    await server?.close();
  });

  function signed(
    alg: string,
    key: Parameters<SignJWT["sign"]>[0],
    changes: { exp?: number; iss?: string; aud?: string } = {},
  ) {
    return new SignJWT({ tid: claims.tid, role: claims.role, sid: claims.sid })
      .setProtectedHeader({ alg, typ: "JWT" })
      .setSubject(claims.sub)
      .setIssuer(changes.iss ?? "flowdeck")
      .setAudience(changes.aud ?? "flowdeck-api")
      .setIssuedAt()
      .setExpirationTime(changes.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(key);
  }

  it("accepts the token it issued and a token signed the same way", async () => {
    expect((await server.request("GET", "/auth/me", { token: validToken })).status).toBe(200);
    const same = await signed("HS256", secret);
    expect((await server.request("GET", "/auth/me", { token: same })).status).toBe(200);
  });

  it("refuses alg none, other algorithms, expiry, other secrets, wrong iss/aud and tampering", async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsignedPayload = { ...claims, iss: "flowdeck", aud: "flowdeck-api", iat: now, exp: now + 600 };
    const { privateKey: rsaKey } = await generateKeyPair("RS256");
    const { privateKey: ecKey } = await generateKeyPair("ES256");
    const [header, payload, signature] = validToken.split(".") as [string, string, string];
    const promoted = base64url({
      ...JSON.parse(Buffer.from(payload, "base64url").toString()),
      role: "owner",
      tid: "00000000-0000-0000-0000-000000000001",
    });
    const cases: Record<string, string> = {
      "alg none": `${base64url({ alg: "none", typ: "JWT" })}.${base64url(unsignedPayload)}.`,
      "alg None, same claims": `${base64url({ alg: "None" })}.${base64url(unsignedPayload)}.`,
      HS512: await signed("HS512", secret),
      HS384: await signed("HS384", secret),
      RS256: await signed("RS256", rsaKey),
      ES256: await signed("ES256", ecKey),
      expired: await signed("HS256", secret, { exp: now - 60 }),
      "another secret": await signed(
        "HS256",
        new TextEncoder().encode("another-secret-0123456789-abcdefghijklmnop"),
      ),
      "wrong issuer": await signed("HS256", secret, { iss: "someone-else" }),
      "wrong audience": await signed("HS256", secret, { aud: "another-api" }),
      "tampered payload": `${header}.${promoted}.${signature}`,
      "tampered signature": `${header}.${payload}.${flipFirstBit(signature)}`,
      garbage: "not-a-jwt",
    };
    const answers: Record<string, string> = {};
    for (const [name, token] of Object.entries(cases)) {
      const res = await server.request("GET", "/auth/me", { token });
      answers[name] = `${res.status} ${res.body?.error?.code}`;
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, "401 FD310"])));
  });

  it("refuses malformed Authorization headers", async () => {
    for (const authorization of [
      validToken,
      `Basic ${validToken}`,
      `Bearer  ${validToken}`,
      `Bearer ${validToken} x`,
    ]) {
      const res = await server.request("GET", "/auth/me", { headers: { authorization } });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
    }
  });
});
