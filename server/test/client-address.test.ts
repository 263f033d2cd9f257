import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { addressKey, clientAddressResolver } from "../src/chat/client-address";

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  }) as unknown as IncomingMessage;

describe("a chat socket's client address", () => {
  it("is the peer, whatever X-Forwarded-For says, when no proxy is trusted (the default)", () => {
    const resolve = clientAddressResolver(false);
    expect(resolve(request("127.0.0.1", "203.0.113.9"))).toBe("127.0.0.1");
    expect(resolve(request("10.0.0.5"))).toBe("10.0.0.5");
  });

  it("walks X-Forwarded-For only through trusted proxies, as req.ip does", () => {
    const resolve = clientAddressResolver("loopback, 10.0.0.0/8");
    // A client may prepend anything; the first untrusted hop from the right is the client.
    expect(resolve(request("127.0.0.1", "198.51.100.1, 203.0.113.9, 10.0.0.2"))).toBe("203.0.113.9");
    expect(resolve(request("127.0.0.1", "203.0.113.9"))).toBe("203.0.113.9");
    // An untrusted peer's header is ignored.
    expect(resolve(request("192.0.2.1", "203.0.113.9"))).toBe("192.0.2.1");
    expect(clientAddressResolver(1)(request("10.0.0.1", "198.51.100.1, 203.0.113.9"))).toBe("203.0.113.9");
  });

  it("counts IPv4 as is and IPv6 by its /64", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:ffff:0:0:9")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });
});
