import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSafeHttpClient } from "../../src/http";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server";
import { getRequest, recordingNetwork, rejectionOf } from "./recording-network";

let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer({
    "/hello": (_request, response) => response.writeHead(200, { "content-type": "text/plain" }).end("hello"),
    "/echo": (request, response) =>
      response
        .writeHead(201, { "content-type": "application/json", "x-seen": "yes" })
        .end(JSON.stringify(request)),
    "/latin1": (_request, response) =>
      response
        .writeHead(200, { "content-type": "text/plain; charset=iso-8859-1" })
        .end(Buffer.from([0x63, 0x61, 0x66, 0xe9])),
    "/cookies": (_request, response) => response.writeHead(200, { "set-cookie": ["a=1", "b=2"] }).end(),
  });
});

afterAll(async () => {
  await server.close();
});

describe("an allow-listed loopback server", () => {
  it("is refused while not allow-listed, without a connection attempt", async () => {
    const network = recordingNetwork();
    const client = createSafeHttpClient({ resolver: network.resolver, connector: network.connector });
    const error = await rejectionOf(client.request(getRequest(server.url("/hello"))));
    expect(error).toMatchObject({ code: "FD240", addressClass: "loopback" });
    expect(network.connects).toEqual([]);
    expect(server.requests.filter((request) => request.url === "/hello")).toHaveLength(0);
    await client.close();
  });

  it("is reachable once allow-listed, and returns status, headers and body", async () => {
    const network = recordingNetwork();
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"], connector: network.connector });
    const response = await client.request(getRequest(server.url("/hello")));
    expect(response.status).toBe(200);
    expect(response.body).toBe("hello");
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(network.connects).toEqual(["127.0.0.1"]);
    await client.close();
  });

  it("is reachable through an allow-listed host name that resolves to it", async () => {
    const network = recordingNetwork({
      "crm.internal.example": ["127.0.0.1"],
      "api.svc.example": ["127.0.0.1"],
    });
    const client = createSafeHttpClient({
      allowList: ["crm.internal.example", "*.svc.example"],
      resolver: network.resolver,
      connector: network.connector,
    });
    const first = await client.request(getRequest(`http://crm.internal.example:${server.port}/hello`));
    const second = await client.request(getRequest(`http://api.svc.example:${server.port}/hello`));
    expect([first.body, second.body]).toEqual(["hello", "hello"]);
    expect(network.lookups).toEqual(["crm.internal.example", "api.svc.example"]);
    await client.close();
  });

  it("sends method, headers and body, a default User-Agent, and keeps the query", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1/32"] });
    const response = await client.request(
      getRequest(server.url("/echo?a=1&b=two%20words"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer t0ken" },
        body: '{"hello":"world"}',
      }),
    );
    expect(response.status).toBe(201);
    expect(response.headers["x-seen"]).toBe("yes");
    const seen = JSON.parse(response.body) as {
      method: string;
      url: string;
      body: string;
      headers: Record<string, string>;
    };
    expect(seen).toMatchObject({ method: "POST", url: "/echo?a=1&b=two%20words", body: '{"hello":"world"}' });
    expect(seen.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer t0ken",
      "user-agent": "Flowdeck/0.1 (tool.http)",
    });
    await client.close();
  });

  it("lets a request choose its own User-Agent", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"], userAgent: "Acme/1" });
    const own = JSON.parse((await client.request(getRequest(server.url("/echo")))).body) as RequestHeaders;
    const chosen = JSON.parse(
      (await client.request(getRequest(server.url("/echo"), { headers: { "User-Agent": "Mine/2" } }))).body,
    ) as RequestHeaders;
    expect(own.headers["user-agent"]).toBe("Acme/1");
    expect(chosen.headers["user-agent"]).toBe("Mine/2");
    await client.close();
  });

  it("decodes the body with the charset the server names, and joins repeated headers", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    expect((await client.request(getRequest(server.url("/latin1")))).body).toBe("café");
    expect((await client.request(getRequest(server.url("/cookies")))).headers["set-cookie"]).toBe("a=1, b=2");
    await client.close();
  });

  it("answers a status of 400 or above as a response, not an error (the executor decides)", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    const response = await client.request(getRequest(server.url("/missing")));
    expect(response).toMatchObject({ status: 404, body: "no such route" });
    await client.close();
  });
});

interface RequestHeaders {
  readonly headers: Record<string, string>;
}

describe("request headers", () => {
  it.each([
    [{ Host: "169.254.169.254" }, "Host is set by Flowdeck"],
    [{ "Content-Length": "5" }, "Content-Length is set by Flowdeck"],
    [{ "Transfer-Encoding": "chunked" }, "Transfer-Encoding is set by Flowdeck"],
    [{ "X-Token": "abc\r\nX-Injected: 1" }, "X-Token contains a line break"],
    [{ "Bad Name": "x" }, "is not valid"],
  ])("refuses %j with FD249 before connecting", async (headers, words) => {
    const network = recordingNetwork();
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"], connector: network.connector });
    const error = await rejectionOf(client.request(getRequest(server.url("/echo"), { headers })));
    expect(error.code).toBe("FD249");
    expect(error.message).toContain(words);
    expect(error.message).not.toContain("abc");
    expect(network.connects).toEqual([]);
    await client.close();
  });

  it("refuses a request body over maxRequestBodyBytes with FD247 before connecting", async () => {
    const network = recordingNetwork();
    const client = createSafeHttpClient({
      allowList: ["127.0.0.1"],
      connector: network.connector,
      maxRequestBodyBytes: 10,
    });
    const error = await rejectionOf(
      client.request(getRequest(server.url("/echo"), { method: "POST", body: "x".repeat(11) })),
    );
    expect(error.code).toBe("FD247");
    expect(network.connects).toEqual([]);
    await client.close();
  });
});

describe("configuration", () => {
  it("refuses an allow-list entry it cannot understand with FD248", () => {
    expect(() => createSafeHttpClient({ allowList: ["10.0.0.0/8", "intranet please"] })).toThrowError(
      expect.objectContaining({ code: "FD248" }) as Error,
    );
  });
});
