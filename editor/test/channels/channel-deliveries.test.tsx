// A webhook channel's deliveries card under Node: admins get a Retry per given-up message and "Retry all",
// others get neither; when given up is shown; a retry's answer and refusals read as plain sentences; and the
// card keeps polling only while something is owed or failing.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/api";
import type { ChannelDeliveries } from "../../src/api/workspace-types";
import { DeliveriesCard } from "../../src/channels/channel-deliveries";
import { gaveUpText, needsPolling, retriedText, retryErrorText } from "../../src/channels/delivery-texts";

const NOW = Date.parse("2026-12-08T12:00:00Z");
const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

function item(id: string, status: "pending" | "retrying" | "given-up", givenUpAt: string | null = null) {
  return {
    id,
    conversationId: `conv-${id}`,
    messageId: `msg-${id}`,
    attempts: status === "pending" ? 0 : 12,
    status,
    lastError: status === "pending" ? null : "connect ECONNREFUSED 127.0.0.1:9",
    nextAttemptAt: status === "given-up" ? null : at(NOW + 60_000),
    givenUpAt,
    createdAt: at(NOW - 26 * HOUR),
  };
}

const FAILING: ChannelDeliveries = {
  health: "failing",
  deliveredTotal: 4,
  failedAttemptsTotal: 30,
  givenUpTotal: 2,
  lastDeliveredAt: at(NOW - 30 * HOUR),
  lastError: "connect ECONNREFUSED 127.0.0.1:9",
  lastErrorAt: at(NOW - 2 * HOUR),
  items: [
    item("3", "retrying"),
    item("2", "given-up", at(NOW - 2 * HOUR)),
    item("1", "given-up", at(NOW - 3 * HOUR)),
  ],
};

const render = (props: Partial<Parameters<typeof DeliveriesCard>[0]> = {}) =>
  renderToStaticMarkup(
    <DeliveriesCard deliveries={FAILING} canRetry onRetry={() => undefined} nowMs={NOW} {...props} />,
  );

describe("the deliveries card", () => {
  it("gives admins a Retry per given-up message and a Retry all button, and shows when each gave up", () => {
    const html = render();
    expect(html).toContain("Replies are not reaching your endpoint.");
    expect(html).toContain(">Retry all given-up messages</button>");
    expect(html).toContain("2 messages were given up after a day of retries.");
    expect(html.match(/aria-label="Retry message msg-\d"/g)).toEqual([
      'aria-label="Retry message msg-2"',
      'aria-label="Retry message msg-1"',
    ]);
    expect(html).toContain("(gave up 2 hours ago)");
    expect(html).toContain(`dateTime="${at(NOW - 3 * HOUR)}"`);
  });

  it("offers no retry to other roles, nor when nothing was given up", () => {
    for (const html of [
      render({ canRetry: false }),
      render({ deliveries: { ...FAILING, health: "retrying", items: [item("3", "retrying")] } }),
    ]) {
      expect(html).not.toContain("Retry all given-up messages");
      expect(html).not.toContain("Retry message");
      expect(html).not.toContain(">Action</th>");
    }
    expect(render({ canRetry: false })).toContain("(gave up 3 hours ago)");
  });

  it("disables the buttons while a retry runs and shows its outcome", () => {
    const html = render({ busy: "all", outcome: { ok: true, text: retriedText(3) } });
    expect(html).toContain(">Retrying…</button>");
    expect(html.match(/<button[^>]*disabled=""/g)).toHaveLength(3);
    expect(html).toContain("3 messages will be sent again.");
    const refused = render({ outcome: { ok: false, text: "Nothing was retried" } });
    expect(refused).toMatch(/fd-alert--error" data-testid="deliveries-retry-outcome">Nothing was retried/);
  });

  it("keeps the last record on screen when a refresh fails", () => {
    expect(render({ refreshError: "Could not reach the Flowdeck server." })).toContain(
      "Could not refresh, showing the last record: Could not reach the Flowdeck server.",
    );
  });
});

describe("the deliveries card's words", () => {
  it("counts what a retry owes again", () => {
    expect(retriedText(3)).toBe("3 messages will be sent again.");
    expect(retriedText(1)).toBe("1 message will be sent again.");
    expect(retriedText(0)).toMatch(/^No given-up messages/);
    expect(gaveUpText(at(NOW - 2 * HOUR), NOW)).toBe("gave up 2 hours ago");
  });

  it("turns the server's refusals into sentences without ids", () => {
    const missing = new ApiError(404, {
      code: "FD322",
      message: "No such delivery on this channel: 11, 12",
      details: { missing: ["11", "12"] },
    });
    expect(retryErrorText(missing)).toBe(
      "Nothing was retried: 2 messages are no longer listed (delivered or cleared meanwhile). The list below is up to date now.",
    );
    expect(retryErrorText(new ApiError(404, { code: "FD322", message: "No such channel." }))).toMatch(
      /^This channel no longer exists/,
    );
    const owed = new ApiError(409, {
      code: "FD343",
      message: "Still being retried",
      details: { owed: ["7"] },
    });
    expect(retryErrorText(owed)).toBe(
      "Nothing was retried: that message is already being sent again. The list below is up to date now.",
    );
    expect(retryErrorText(new ApiError(403, { code: "FD312", message: "Forbidden" }))).toMatch(
      /^Only admins and owners can retry/,
    );
    expect(
      retryErrorText(
        new ApiError(0, { code: "FD600", message: "Could not reach the Flowdeck server.", hint: "Check." }),
      ),
    ).toBe("Could not retry: Could not reach the Flowdeck server. Check.");
  });

  it("polls while something is owed or failing, and stops once all is well", () => {
    expect(needsPolling(undefined)).toBe(false);
    expect(needsPolling(FAILING)).toBe(true);
    expect(needsPolling({ ...FAILING, health: "retrying", items: [item("3", "pending")] })).toBe(true);
    // A recovered receiver with old given-up messages still listed: nothing changes on its own any more.
    expect(
      needsPolling({ ...FAILING, health: "ok", items: [item("1", "given-up", at(NOW - 30 * HOUR))] }),
    ).toBe(false);
  });
});
