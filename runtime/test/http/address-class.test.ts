import { describe, expect, it } from "vitest";
import { classifyAddress, describeVerdict, type AddressClass } from "../../src/http";

describe("classifyAddress", () => {
  const refused: readonly (readonly [string, AddressClass])[] = [
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["fc00::1", "private"],
    ["fd12:3456:789a::1", "private"],
    ["fec0::1", "private"],
    ["169.254.0.1", "link-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["0.1.2.3", "reserved"],
    ["100.64.0.1", "carrier-grade-nat"],
    ["100.127.255.255", "carrier-grade-nat"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.1", "documentation"],
    ["2001:db8::1", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["2001::1", "reserved"],
    ["100::1", "reserved"],
    ["::2:3:4", "reserved"],
    // IPv4 hidden in IPv6: mapped, translated, compatible, NAT64 and 6to4 take the class of the IPv4 inside.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0:0:0:0:0:ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:0:a00:1", "private"],
    ["::127.0.0.1", "loopback"],
    ["::7f00:1", "loopback"],
    ["::8.8.8.8", "reserved"],
    ["64:ff9b::10.0.0.1", "private"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["64:ff9b:1::a00:1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["2002:a00:1::1", "private"],
    ["2002:c0a8:101::", "private"],
    ["2002:a9fe:a9fe::1", "metadata"],
  ];

  it.each(refused)("%s is %s", (address, addressClass) => {
    expect(classifyAddress(address).addressClass).toBe(addressClass);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "192.169.0.1",
    "2606:4700:4700::1111",
    "2a00:1450::1",
  ])("%s is public", (address) => {
    expect(classifyAddress(address)).toEqual({ addressClass: "public", range: "" });
  });

  it.each(["::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"])(
    "%s carries a public IPv4 address and is public",
    (address) => {
      expect(classifyAddress(address).addressClass).toBe("public");
      expect(classifyAddress(address).embeddedIpv4).toBe("8.8.8.8");
    },
  );

  // Non-canonical spellings never reach the classifier from a URL (the URL parser normalises them) and a
  // resolver that returned one is refused rather than guessed at.
  it.each(["127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "localhost", "", "1.2.3.4.5", "[::1"])(
    "%j is invalid",
    (address) => {
      expect(classifyAddress(address).addressClass).toBe("invalid");
    },
  );

  it("describes the class, the range and the embedding in words", () => {
    expect(describeVerdict(classifyAddress("::ffff:127.0.0.1"))).toBe(
      "a loopback address (this machine) in 127.0.0.0/8, written as an IPv4-mapped IPv6 address for 127.0.0.1",
    );
    expect(describeVerdict(classifyAddress("169.254.169.254"))).toBe(
      "a cloud metadata endpoint in 169.254.169.254/32",
    );
  });
});
