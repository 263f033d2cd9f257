import { describe, expect, it } from "vitest";
import { checkAddress, HttpError, parseAllowList } from "../../src/http";

describe("parseAllowList", () => {
  it("matches addresses by range, including their IPv4-mapped spelling", () => {
    const list = parseAllowList(["10.20.0.0/16", "192.168.1.5", "fd12::/16"]);
    expect(list.allowsAddress("10.20.3.4")).toBe(true);
    expect(list.allowsAddress("10.21.0.1")).toBe(false);
    expect(list.allowsAddress("192.168.1.5")).toBe(true);
    expect(list.allowsAddress("192.168.1.6")).toBe(false);
    expect(list.allowsAddress("::ffff:10.20.0.9")).toBe(true);
    expect(list.allowsAddress("fd12:1::1")).toBe(true);
    expect(list.allowsAddress("fd13::1")).toBe(false);
  });

  it("matches host names exactly or below a *. wildcard, case- and trailing-dot-insensitively", () => {
    const list = parseAllowList(["CRM.internal.example", "*.svc.example"]);
    expect(list.allowsHost("crm.internal.example.")).toBe(true);
    expect(list.allowsHost("other.internal.example")).toBe(false);
    expect(list.allowsHost("api.svc.example")).toBe(true);
    expect(list.allowsHost("a.b.svc.example")).toBe(true);
    expect(list.allowsHost("svc.example")).toBe(false);
    expect(list.allowsHost("evilsvc.example")).toBe(false);
  });

  it.each([
    "not an entry",
    "10.0.0.0/33",
    "127.1",
    "0x7f.1",
    "2130706433",
    "10.0.0.0/8/8",
    "http://x.example",
    "",
  ])("refuses the entry %j with FD248", (entry) => {
    expect(() => parseAllowList([entry])).toThrowError(expect.objectContaining({ code: "FD248" }) as Error);
  });
});

describe("checkAddress", () => {
  it("lets an allow-listed private address or host through and refuses the rest with FD240", () => {
    const list = parseAllowList(["10.0.0.0/8", "db.internal.example"]);
    expect(checkAddress("api.example", "10.1.2.3", list)).toBeUndefined();
    expect(checkAddress("db.internal.example", "192.168.9.9", list)).toBeUndefined();
    const refused = checkAddress("api.example", "192.168.9.9", list);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused?.code).toBe("FD240");
    expect(refused?.addressClass).toBe("private");
    expect(refused?.message).toBe(
      "Refused to connect to api.example: it resolves to 192.168.9.9, a private network address in " +
        "192.168.0.0/16. An admin can allow-list this host or range in the workspace's HTTP settings.",
    );
  });

  it("never lets metadata or the unspecified address through, whatever the allow-list says", () => {
    const list = parseAllowList(["0.0.0.0/0", "::/0", "169.254.169.254", "metadata.example"]);
    expect(checkAddress("metadata.example", "169.254.169.254", list)?.addressClass).toBe("metadata");
    expect(checkAddress("x.example", "fd00:ec2::254", list)?.addressClass).toBe("metadata");
    expect(checkAddress("x.example", "::ffff:169.254.169.254", list)?.addressClass).toBe("metadata");
    expect(checkAddress("0.0.0.0", "0.0.0.0", list)?.addressClass).toBe("unspecified");
    expect(checkAddress("x.example", "10.0.0.1", list)).toBeUndefined();
  });

  it("does not let a host-name entry vouch for an IP literal that happens to equal it", () => {
    const list = parseAllowList(["localhost"]);
    expect(checkAddress("127.0.0.1", "127.0.0.1", list)?.code).toBe("FD240");
    expect(checkAddress("localhost", "127.0.0.1", list)).toBeUndefined();
  });
});
