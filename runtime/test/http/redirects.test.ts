import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSafeHttpClient } from "../../src/http";
import { startLoopbackServer, type LoopbackServer, type Route } from "./loopback-server";
import { getRequest, recordingNetwork, rejectionOf } from "./recording-network";

let server: LoopbackServer;
let other: LoopbackServer;

/** `/to?status=302&location=<url>` answers a redirect to `location`. */
const redirectTo: Route = (request, response) => {
  const query = new URL(request.url, "http://x").searchParams;
  response.writeHead(Number(query.get("status") ?? 302), { location: query.get("location") ?? "/" }).end();
};

const echo: Route = (request, response) =>
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(request));

function via(target: string, status = 302): string {
  return server.url(`/to?status=${status}&location=${encodeURIComponent(target)}`);
}

beforeAll(async () => {
  server = await startLoopbackServer({
    "/to": redirectTo,
    "/echo": echo,
    "/loop": (_request, response) => response.writeHead(302, { location: "/loop" }).end(),
    "/hop1": (_request, response) => response.writeHead(301, { location: "/hop2" }).end(),
    "/hop2": (_request, response) => response.writeHead(307, { location: "/echo" }).end(),
    "/no-location": (_request, response) => response.writeHead(302).end("nowhere to go"),
  });
  other = await startLoopbackServer({ "/echo": echo });
});

afterAll(async () => {
  await server.close();
  await other.close();
});

describe("redirects from an allow-listed server into refused addresses", () => {
  const targets: readonly (readonly [string, string])[] = [
    ["http://127.0.0.2:8080/secret", "loopback"],
    ["http://[::ffff:7f00:2]/", "loopback"],
    ["http://169.254.169.254/latest/meta-data/iam/security-credentials/", "metadata"],
    ["http://[fd00:ec2::254]/latest/meta-data/", "metadata"],
    ["http://metadata.google.internal/computeMetadata/v1/", "metadata"],
    ["http://10.0.0.5/admin", "private"],
    ["http://intranet.corp.example/", "private"],
    ["http://2130706434/", "loopback"],
  ];

  it.each(targets)("a redirect to %s is refused at the hop (%s)", async (target, addressClass) => {
    const network = recordingNetwork({ "intranet.corp.example": ["10.0.0.9"] });
    const client = createSafeHttpClient({
      allowList: ["127.0.0.1"],
      resolver: network.resolver,
      connector: network.connector,
    });
    const error = await rejectionOf(client.request(getRequest(via(target))));
    expect(error).toMatchObject({ code: "FD240", addressClass });
    expect(error.message).toMatch(/^After redirect 1 to /);
    // The first hop connected to the test server; the refused hop was never attempted.
    expect(network.connects).toEqual(["127.0.0.1"]);
    await client.close();
  });

  it("refuses a redirect to another scheme with FD244", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    const error = await rejectionOf(client.request(getRequest(via("gopher://127.0.0.1:6379/_FLUSHALL"))));
    expect(error.code).toBe("FD244");
    expect(error.message).toBe(
      "After redirect 1: The URL uses the gopher: scheme; only http: and https: are allowed.",
    );
    await client.close();
  });
});

describe("following redirects", () => {
  it("follows a chain on the allowed server, re-checking each hop", async () => {
    const network = recordingNetwork();
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"], connector: network.connector });
    const response = await client.request(getRequest(server.url("/hop1")));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ url: "/echo", method: "GET" });
    expect(network.connects.every((address) => address === "127.0.0.1")).toBe(true);
    await client.close();
  });

  it("fails with FD241 after max_redirects hops", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    const before = server.requests.length;
    const error = await rejectionOf(client.request(getRequest(server.url("/loop"), { maxRedirects: 3 })));
    expect(error.code).toBe("FD241");
    expect(error.message).toContain("redirected more than 3 times");
    expect(server.requests.length - before).toBe(4);
    await client.close();
  });

  it("treats max_redirects 0 as: any redirect fails", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    const error = await rejectionOf(client.request(getRequest(server.url("/hop1"), { maxRedirects: 0 })));
    expect(error.code).toBe("FD241");
    await client.close();
  });

  it("returns the 3xx itself when follow_redirects is off, even towards a refused address", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    const response = await client.request(
      getRequest(via("http://169.254.169.254/"), { followRedirects: false }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe("http://169.254.169.254/");
    await client.close();
  });

  it("returns a 3xx without Location as it is", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    const response = await client.request(getRequest(server.url("/no-location")));
    expect(response).toMatchObject({ status: 302, body: "nowhere to go" });
    await client.close();
  });

  it("turns a POST into a body-less GET on 303, and keeps it on 307", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    const post = {
      method: "POST" as const,
      body: '{"a":1}',
      headers: { "Content-Type": "application/json" },
    };
    const after303 = JSON.parse((await client.request(getRequest(via("/echo", 303), post))).body) as Seen;
    const after307 = JSON.parse((await client.request(getRequest(via("/echo", 307), post))).body) as Seen;
    expect(after303).toMatchObject({ method: "GET", body: "" });
    expect(after303.headers["content-type"]).toBeUndefined();
    expect(after307).toMatchObject({ method: "POST", body: '{"a":1}' });
    expect(after307.headers["content-type"]).toBe("application/json");
    await client.close();
  });

  it("drops Authorization and Cookie when the redirect changes origin, keeps them on the same origin", async () => {
    const client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    const headers = { Authorization: "Bearer secret", Cookie: "session=1", "X-Trace": "t1" };
    const same = JSON.parse((await client.request(getRequest(via("/echo"), { headers }))).body) as Seen;
    const cross = JSON.parse(
      (await client.request(getRequest(via(other.url("/echo")), { headers }))).body,
    ) as Seen;
    expect(same.headers).toMatchObject({
      authorization: "Bearer secret",
      cookie: "session=1",
      "x-trace": "t1",
    });
    expect(cross.headers.authorization).toBeUndefined();
    expect(cross.headers.cookie).toBeUndefined();
    expect(cross.headers["x-trace"]).toBe("t1");
    await client.close();
  });
});

interface Seen {
  readonly method: string;
  readonly body: string;
  readonly headers: Record<string, string | undefined>;
}
