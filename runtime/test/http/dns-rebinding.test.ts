import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSafeHttpClient } from "../../src/http";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server";
import { getRequest, recordingNetwork, rejectionOf } from "./recording-network";

let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer({
    // `connection: close` makes every request open a new connection, so every request resolves again.
    "/fresh": (_request, response) => response.writeHead(200, { connection: "close" }).end("checked"),
  });
});

afterAll(async () => {
  await server.close();
});

describe("DNS rebinding", () => {
  it("resolves once per connection and connects to the address it checked, not to a later answer", async () => {
    // A name whose first answer is allowed and whose next answer is the metadata service: the classic
    // rebinding attack, where a check resolves the name and the connect resolves it again.
    const network = recordingNetwork({
      "rebind.example": { sequence: [["127.0.0.1"], ["169.254.169.254"]] },
    });
    const client = createSafeHttpClient({
      allowList: ["127.0.0.1"],
      resolver: network.resolver,
      connector: network.connector,
    });
    const url = `http://rebind.example:${server.port}/fresh`;
    const first = await client.request(getRequest(url));
    expect(first.body).toBe("checked");
    expect(network.lookups).toEqual(["rebind.example"]);
    expect(network.connects).toEqual(["127.0.0.1"]);

    const second = await rejectionOf(client.request(getRequest(url)));
    expect(second).toMatchObject({ code: "FD240", addressClass: "metadata" });
    expect(network.lookups).toEqual(["rebind.example", "rebind.example"]);
    expect(network.connects).toEqual(["127.0.0.1"]);
    await client.close();
  });

  it("never tries a refused address from a mixed answer, whichever comes first", async () => {
    const network = recordingNetwork({
      "mixed.example": ["10.0.0.5", "127.0.0.1", "169.254.169.254"],
    });
    const client = createSafeHttpClient({
      allowList: ["127.0.0.1"],
      resolver: network.resolver,
      connector: network.connector,
    });
    const response = await client.request(getRequest(`http://mixed.example:${server.port}/fresh`));
    expect(response.body).toBe("checked");
    expect(network.connects).toEqual(["127.0.0.1"]);
    await client.close();
  });

  it("with a public address first and a private one second, only the public one is attempted", async () => {
    const network = recordingNetwork({ "split.example": ["93.184.216.34", "192.168.0.10"] });
    const client = createSafeHttpClient({ resolver: network.resolver, connector: network.connector });
    const error = await rejectionOf(client.request(getRequest("http://split.example/")));
    // The test connector refuses the public address without connecting; the private one is never tried.
    expect(error.code).toBe("FD245");
    expect(network.connects).toEqual(["93.184.216.34"]);
    await client.close();
  });

  it("refuses when every answer is refused, naming the first", async () => {
    const network = recordingNetwork({ "inside.example": ["192.168.0.10", "fd00::1"] });
    const client = createSafeHttpClient({ resolver: network.resolver, connector: network.connector });
    const error = await rejectionOf(client.request(getRequest("http://inside.example/")));
    expect(error).toMatchObject({ code: "FD240", addressClass: "private" });
    expect(error.message).toContain("192.168.0.10");
    expect(network.connects).toEqual([]);
    await client.close();
  });

  it("tries the next checked address when one refuses the connection", async () => {
    const network = recordingNetwork({ "multi.example": ["::1", "127.0.0.1"] });
    const client = createSafeHttpClient({
      allowList: ["127.0.0.1", "::1"],
      resolver: network.resolver,
      connector: network.connector,
    });
    const response = await client.request(getRequest(`http://multi.example:${server.port}/fresh`));
    expect(response.body).toBe("checked");
    // The test connector refuses ::1 (it only opens sockets to 127.0.0.1), then 127.0.0.1 answers.
    expect(network.connects).toEqual(["::1", "127.0.0.1"]);
    await client.close();
  });
});
