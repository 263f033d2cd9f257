import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSafeHttpClient, type ManagedSafeHttpClient } from "../../src/http";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server";
import { getRequest, rejectionOf } from "./recording-network";

let server: LoopbackServer;
let client: ManagedSafeHttpClient;
/** Resolves when the server sees the client close the endless response. */
let endlessClosed: Promise<number>;
const hanging: ServerResponse[] = [];

function streamForever(response: ServerResponse): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    const chunk = Buffer.alloc(16 * 1024, "a");
    const pump = () => {
      let more = true;
      while (more && !response.destroyed) {
        more = response.write(chunk);
        written += chunk.length;
      }
      if (!response.destroyed) response.once("drain", pump);
    };
    response.on("close", () => resolve(written));
    response.writeHead(200, { "content-type": "text/plain" });
    pump();
  });
}

beforeAll(async () => {
  server = await startLoopbackServer({
    "/endless": (_request, response) => {
      endlessClosed = streamForever(response);
    },
    "/declared": (_request, response) => {
      response.writeHead(200, { "content-length": String(50_000_000) }).write("a");
      hanging.push(response);
    },
    "/bomb": (_request, response) =>
      response.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(Buffer.alloc(5_000_000, 0))),
    "/gzip": (_request, response) =>
      response
        .writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" })
        .end(gzipSync(JSON.stringify({ ok: true }))),
    "/broken-gzip": (_request, response) =>
      response.writeHead(200, { "content-encoding": "gzip" }).end("this is not gzip"),
    "/exact": (_request, response) => response.writeHead(200).end("x".repeat(1000)),
    "/silent": (_request, response) => {
      hanging.push(response);
    },
    "/trickle": (_request, response) => {
      response.writeHead(200).write("first part ");
      hanging.push(response);
    },
    "/huge-header": (_request, response) =>
      response.writeHead(200, { "x-padding": "p".repeat(64 * 1024) }).end("ok"),
  });
  client = createSafeHttpClient({ allowList: ["127.0.0.1"], maxResponseHeaderBytes: 16 * 1024 });
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await client.destroy();
  await server.close();
});

describe("max_response_bytes", () => {
  it("aborts an endless streamed body once the cap is passed (FD242) and closes the connection", async () => {
    const error = await rejectionOf(
      client.request(getRequest(server.url("/endless"), { maxResponseBytes: 100_000 })),
    );
    expect(error.code).toBe("FD242");
    expect(error.message).toContain("max_response_bytes (100000)");
    // The server's response is closed: the client stopped reading instead of draining the stream.
    await expect(endlessClosed).resolves.toBeGreaterThan(100_000);
  });

  it("fails at once when Content-Length already declares more than the cap", async () => {
    const error = await rejectionOf(
      client.request(getRequest(server.url("/declared"), { maxResponseBytes: 1_000 })),
    );
    expect(error.code).toBe("FD242");
    expect(error.message).toContain("declares 50000000 bytes");
  });

  it("counts decompressed bytes, so a small gzip bomb fails too", async () => {
    const error = await rejectionOf(
      client.request(getRequest(server.url("/bomb"), { maxResponseBytes: 100_000 })),
    );
    expect(error.code).toBe("FD242");
  });

  it("decodes a gzip body within the cap", async () => {
    const response = await client.request(getRequest(server.url("/gzip")));
    expect(JSON.parse(response.body)).toEqual({ ok: true });
  });

  it("reports a body that claims gzip but is not as FD245", async () => {
    const error = await rejectionOf(client.request(getRequest(server.url("/broken-gzip"))));
    expect(error.code).toBe("FD245");
  });

  it("accepts a body of exactly the cap and refuses one byte less", async () => {
    const exact = await client.request(getRequest(server.url("/exact"), { maxResponseBytes: 1000 }));
    expect(exact.body).toHaveLength(1000);
    const under = await rejectionOf(
      client.request(getRequest(server.url("/exact"), { maxResponseBytes: 999 })),
    );
    expect(under.code).toBe("FD242");
  });
});

describe("timeout_ms", () => {
  it("fails with FD243 when the server never answers", async () => {
    const error = await rejectionOf(
      client.request(getRequest(server.url("/silent?key=secret"), { timeoutMs: 200 })),
    );
    expect(error.code).toBe("FD243");
    expect(error.message).toContain("within 200 ms");
    expect(error.message).not.toContain("secret");
  });

  it("covers the body too: a server that sends headers and then stalls fails with FD243", async () => {
    const error = await rejectionOf(client.request(getRequest(server.url("/trickle"), { timeoutMs: 200 })));
    expect(error.code).toBe("FD243");
  });

  it("passes the caller's abort reason through unchanged", async () => {
    const controller = new AbortController();
    const pending = client.request(getRequest(server.url("/silent"), { signal: controller.signal }));
    const reason = new Error("run cancelled");
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it("does not start a request whose signal is already aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("already cancelled");
    controller.abort(reason);
    const before = server.requests.length;
    await expect(client.request(getRequest(server.url("/gzip"), { signal: controller.signal }))).rejects.toBe(
      reason,
    );
    expect(server.requests.length).toBe(before);
  });
});

describe("response headers", () => {
  it("fails with FD246 when they exceed maxResponseHeaderBytes", async () => {
    const error = await rejectionOf(client.request(getRequest(server.url("/huge-header"))));
    expect(error.code).toBe("FD246");
  });
});
