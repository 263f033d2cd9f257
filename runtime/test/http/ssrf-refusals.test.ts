import { afterEach, describe, expect, it } from "vitest";
import { createSafeHttpClient, type ManagedSafeHttpClient } from "../../src/http";
import { getRequest, recordingNetwork, rejectionOf, type RecordingNetwork } from "./recording-network";

// Every target here is refused before a socket exists: the recording connector must see zero attempts.
const DNS = {
  "internal.example": ["10.0.0.7"],
  "localhost.example": ["127.0.0.1", "::1"],
  "rebound.example": ["169.254.169.254"],
  "mapped.example": ["::ffff:127.0.0.1"],
  "nat64.example": ["64:ff9b::a9fe:a9fe"],
  "sixtofour.example": ["2002:c0a8:101::1"],
  "cgnat.example": ["100.64.1.1"],
  "weird.example": ["0x7f.1"],
};

let client: ManagedSafeHttpClient | undefined;
let network: RecordingNetwork;

function refusingClient(allowList: readonly string[] = []): ManagedSafeHttpClient {
  network = recordingNetwork(DNS);
  client = createSafeHttpClient({ allowList, resolver: network.resolver, connector: network.connector });
  return client;
}

afterEach(async () => {
  await client?.destroy();
  client = undefined;
});

describe("address classes are refused with FD240 before any connection", () => {
  const literals: readonly (readonly [string, string])[] = [
    ["http://127.0.0.1/", "loopback"],
    ["http://127.0.0.2:8080/admin", "loopback"],
    ["http://[::1]/", "loopback"],
    ["http://10.1.2.3/", "private"],
    ["http://172.16.0.1/", "private"],
    ["http://172.31.255.255/", "private"],
    ["http://192.168.1.1/", "private"],
    ["http://[fc00::1]/", "private"],
    ["http://[fd12:3456::1]/", "private"],
    ["http://169.254.1.1/", "link-local"],
    ["http://[fe80::1]/", "link-local"],
    ["http://169.254.169.254/latest/meta-data/", "metadata"],
    ["http://[fd00:ec2::254]/latest/meta-data/", "metadata"],
    ["http://100.100.100.200/latest/meta-data/", "metadata"],
    ["http://0.0.0.0/", "unspecified"],
    ["http://[::]/", "unspecified"],
    ["http://100.64.0.1/", "carrier-grade-nat"],
    ["http://224.0.0.1/", "multicast"],
    ["http://[ff02::1]/", "multicast"],
    ["http://255.255.255.255/", "broadcast"],
    ["http://240.0.0.1/", "reserved"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://[::ffff:7f00:1]/", "loopback"],
    ["http://[::ffff:169.254.169.254]/", "metadata"],
    ["http://[::127.0.0.1]/", "loopback"],
    ["http://[::ffff:0:a00:1]/", "private"],
    ["http://[64:ff9b::10.0.0.1]/", "private"],
    ["http://[64:ff9b::7f00:1]/", "loopback"],
    ["http://[2002:7f00:1::]/", "loopback"],
    ["http://[2002:a9fe:a9fe::1]/", "metadata"],
    ["https://[2002:c0a8:101::]/", "private"],
  ];

  it.each(literals)("%s (%s)", async (url, addressClass) => {
    const error = await rejectionOf(refusingClient().request(getRequest(url)));
    expect(error).toMatchObject({ code: "FD240", addressClass });
    expect(network.lookups).toEqual([]);
    expect(network.connects).toEqual([]);
  });
});

describe("IPv4 spellings are normalised by the URL parser and then refused", () => {
  const spellings: readonly (readonly [string, string])[] = [
    ["http://2130706433/", "loopback"],
    ["http://0177.0.0.1/", "loopback"],
    ["http://0x7f.0.0.1/", "loopback"],
    ["http://0x7f000001/", "loopback"],
    ["http://017700000001/", "loopback"],
    ["http://127.1/", "loopback"],
    ["http://127.000.000.001/", "loopback"],
    ["http://127.0.0.1./", "loopback"],
    ["http://%31%32%37.0.0.1/", "loopback"],
    ["http://0/", "unspecified"],
    ["http://10.1/", "private"],
    ["http://2852039166/latest/meta-data/", "metadata"],
    ["http://0251.0376.0251.0376/", "metadata"],
    ["http://0xa9.0xfe.0xa9.0xfe/", "metadata"],
    ["http://0xa9fea9fe/", "metadata"],
  ];

  it.each(spellings)("%s (%s)", async (url, addressClass) => {
    const error = await rejectionOf(refusingClient().request(getRequest(url)));
    expect(error).toMatchObject({ code: "FD240", addressClass });
    expect(network.connects).toEqual([]);
  });
});

describe("host names are refused by what they resolve to", () => {
  const names: readonly (readonly [string, string])[] = [
    ["http://internal.example/", "private"],
    ["http://localhost.example:3000/", "loopback"],
    ["http://rebound.example/latest/meta-data/", "metadata"],
    ["http://mapped.example/", "loopback"],
    ["http://nat64.example/", "metadata"],
    ["https://sixtofour.example/", "private"],
    ["http://cgnat.example/", "carrier-grade-nat"],
    ["http://weird.example/", "invalid"],
  ];

  it.each(names)("%s (%s)", async (url, addressClass) => {
    const error = await rejectionOf(refusingClient().request(getRequest(url)));
    expect(error).toMatchObject({ code: "FD240", addressClass });
    expect(network.lookups).toEqual([new URL(url).hostname]);
    expect(network.connects).toEqual([]);
  });

  it("says in the message which address class was refused", async () => {
    const error = await rejectionOf(
      refusingClient().request(getRequest("http://internal.example/x?token=s3cret")),
    );
    expect(error.message).toContain("internal.example: it resolves to 10.0.0.7, a private network address");
    expect(error.message).not.toContain("s3cret");
  });

  it.each([
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://METADATA.GOOGLE.INTERNAL./",
    "http://metadata/",
  ])("refuses the metadata name %s without even resolving it", async (url) => {
    const error = await rejectionOf(refusingClient(["0.0.0.0/0"]).request(getRequest(url)));
    expect(error).toMatchObject({ code: "FD240", addressClass: "metadata" });
    expect(network.lookups).toEqual([]);
    expect(network.connects).toEqual([]);
  });

  it("lets a public address through the check (the test connector then refuses without connecting)", async () => {
    network = recordingNetwork({ "api.example": ["93.184.216.34"] });
    client = createSafeHttpClient({ resolver: network.resolver, connector: network.connector });
    const error = await rejectionOf(client.request(getRequest("https://api.example/v1")));
    expect(error.code).toBe("FD245");
    expect(network.connects).toEqual(["93.184.216.34"]);
    // The socket goes to the checked address while TLS still verifies the certificate for the name.
    expect(network.connectOptions[0]).toMatchObject({ hostname: "93.184.216.34", servername: "api.example" });
  });

  it("reports a name that does not resolve as FD245", async () => {
    const error = await rejectionOf(refusingClient().request(getRequest("http://nowhere.example/")));
    expect(error).toMatchObject({ code: "FD245", message: "Could not resolve nowhere.example (ENOTFOUND)." });
    expect(network.connects).toEqual([]);
  });
});

describe("only http and https URLs without credentials are accepted", () => {
  it.each([
    "ftp://example.com/file",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "dict://127.0.0.1:11211/stats",
    "javascript:alert(1)",
    "data:text/plain,hello",
    "ws://example.com/socket",
    "not a url",
    "/relative/path",
    "",
  ])("refuses %j with FD244", async (url) => {
    const error = await rejectionOf(refusingClient().request(getRequest(url)));
    expect(error.code).toBe("FD244");
    expect(network.lookups).toEqual([]);
    expect(network.connects).toEqual([]);
  });

  it("refuses a user name or password in the URL without repeating it", async () => {
    const error = await rejectionOf(
      refusingClient().request(getRequest("https://admin:hunter2@api.example/")),
    );
    expect(error.code).toBe("FD244");
    expect(error.message).toContain("api.example");
    expect(error.message).not.toContain("hunter2");
    expect(network.connects).toEqual([]);
  });

  it("refuses the userinfo trick that hides the real host behind an allowed-looking one", async () => {
    const error = await rejectionOf(
      refusingClient().request(getRequest("http://127.0.0.1:80@internal.example/")),
    );
    expect(error.code).toBe("FD244");
    expect(network.connects).toEqual([]);
  });
});
