import { describe, expect, it } from "vitest";
import { DEFAULT_CHAT_OPTIONS } from "../src/chat/chat-options";
import { OUTBOUND_RETRY_JITTER, outboundRetryWaitMs } from "../src/webhooks/outbound-delivery";

const HOUR_MS = 3_600_000;
const none = () => 0;
const most = () => 0.999999;

/** Every wait of one message under `options`, from its first failed attempt to the last retry. */
function waits(options: typeof DEFAULT_CHAT_OPTIONS, random: () => number): number[] {
  return Array.from({ length: options.outboundAttempts - 1 }, (_, index) =>
    outboundRetryWaitMs(index + 1, options, random),
  );
}

// Receivers are down for deploys and outages, minutes to hours: a reply is retried for about a day, not 15 s.
describe("outbound webhook retry schedule", () => {
  it("doubles from outboundBackoffMs", () => {
    const options = { outboundBackoffMs: 1_000, outboundMaxBackoffMs: HOUR_MS };
    expect([1, 2, 3, 4, 5].map((attempts) => outboundRetryWaitMs(attempts, options, none))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
  });

  it("never waits longer than outboundMaxBackoffMs, however many attempts failed", () => {
    const options = { outboundBackoffMs: 1_000, outboundMaxBackoffMs: HOUR_MS };
    expect(outboundRetryWaitMs(12, options, none)).toBe(2_048_000);
    expect(outboundRetryWaitMs(13, options, none)).toBe(HOUR_MS);
    for (const attempts of [13, 40, 1_100, 1e9]) {
      const wait = outboundRetryWaitMs(attempts, options, most);
      expect(wait).toBeLessThanOrEqual(HOUR_MS);
      expect(Number.isFinite(wait)).toBe(true);
    }
    expect(outboundRetryWaitMs(5_000, { outboundBackoffMs: 0, outboundMaxBackoffMs: HOUR_MS }, none)).toBe(0);
  });

  it("spreads each wait by trimming up to the jitter, never lengthening it", () => {
    const options = { outboundBackoffMs: 1_000, outboundMaxBackoffMs: HOUR_MS };
    expect(outboundRetryWaitMs(4, options, most)).toBeGreaterThan(8_000 * (1 - OUTBOUND_RETRY_JITTER) - 1);
    expect(outboundRetryWaitMs(4, options, most)).toBeLessThan(8_000);
    const drawn = new Set(Array.from({ length: 20 }, () => outboundRetryWaitMs(20, options)));
    expect(drawn.size).toBeGreaterThan(1);
    for (const wait of drawn) {
      expect(wait).toBeGreaterThanOrEqual(HOUR_MS * (1 - OUTBOUND_RETRY_JITTER));
      expect(wait).toBeLessThanOrEqual(HOUR_MS);
    }
  });

  it("keeps retrying for about a day by default", () => {
    expect(DEFAULT_CHAT_OPTIONS).toMatchObject({
      outboundAttempts: 37,
      outboundBackoffMs: 1_000,
      outboundMaxBackoffMs: HOUR_MS,
    });
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    const nominal = sum(waits(DEFAULT_CHAT_OPTIONS, none));
    const shortest = sum(waits(DEFAULT_CHAT_OPTIONS, most));
    // 1 + 2 + … + 2048 s, then 24 hourly retries: 90,495 s ≈ 25.1 h; at most 10% less with jitter.
    expect(nominal).toBe(90_495_000);
    expect(shortest).toBeGreaterThan(22 * HOUR_MS);
    // The old schedule (5 attempts) gave up after 15 s; the first retries stay quick for a blip.
    expect(sum(waits(DEFAULT_CHAT_OPTIONS, none).slice(0, 4))).toBe(15_000);
  });
});
