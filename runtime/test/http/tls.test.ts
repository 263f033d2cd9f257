import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { buildConnector } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSafeHttpClient, type SocketConnector } from "../../src/http";
import { getRequest, recordingNetwork, rejectionOf } from "./recording-network";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const cert = fixture("tls-example.crt");

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer({ cert, key: fixture("tls-example.key") }, (request, response) =>
    response.end(`secure ${request.url}`),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The recording network's resolver, with a connector that trusts the test certificate. */
function tlsClient(dns: Record<string, string[]>) {
  const network = recordingNetwork(dns);
  const trusting = buildConnector({ ca: cert, timeout: 2_000 });
  const connector: SocketConnector = (options, callback) => {
    network.connects.push(options.hostname);
    if (options.hostname !== "127.0.0.1") {
      callback(Object.assign(new Error("test network: only 127.0.0.1"), { code: "ECONNREFUSED" }), null);
      return;
    }
    trusting(options, callback);
  };
  const client = createSafeHttpClient({ allowList: ["127.0.0.1"], resolver: network.resolver, connector });
  return { client, network };
}

describe("https through the checked address", () => {
  it("connects to the checked IP and verifies the certificate against the host name", async () => {
    const { client, network } = tlsClient({ "tls.example": ["127.0.0.1"] });
    const response = await client.request(getRequest(`https://tls.example:${port}/hello`));
    expect(response).toMatchObject({ status: 200, body: "secure /hello" });
    expect(network.connects).toEqual(["127.0.0.1"]);
    await client.close();
  });

  it("refuses a certificate that does not name the host, even though the address was allowed (FD245)", async () => {
    const { client } = tlsClient({ "other.example": ["127.0.0.1"] });
    const error = await rejectionOf(client.request(getRequest(`https://other.example:${port}/hello`)));
    expect(error.code).toBe("FD245");
    expect(error.message).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
    await client.close();
  });

  it("refuses the same server by IP literal, since the certificate names no address", async () => {
    const { client } = tlsClient({});
    const error = await rejectionOf(client.request(getRequest(`https://127.0.0.1:${port}/hello`)));
    expect(error.code).toBe("FD245");
    await client.close();
  });
});
