// A webhook channel's given-up replies retried from the Channels page, in a real browser against a real server.
// Reaching "given up" for real takes a day of retries, so the delivery record the page reads is served from here
// through page.route, while the rest is the server's: its refusal of an unknown delivery (404 FD322 naming the
// missing ids) reaches the page as a sentence, and the how-to shows the server's own webhook URL.
import type { Page, Route } from "playwright-core";
import { expect, it } from "vitest";
import type { ChannelDeliveries } from "../../src/api/workspace-types";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const FLOW = `name: hook_retry
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Thanks." } }
edges:
  - { from: start, to: done }
`;
const HOUR = 3_600_000;
const ERROR = "connect ECONNREFUSED 127.0.0.1:9";

function record(stage: "failing" | "retrying" | "ok"): ChannelDeliveries {
  const now = Date.now();
  const at = (ms: number) => new Date(ms).toISOString();
  const givenUp = (id: string, hoursAgo: number) => ({
    id,
    conversationId: `conv-${id}`,
    messageId: `msg-${id}`,
    attempts: 12,
    status: "given-up" as const,
    lastError: ERROR,
    nextAttemptAt: null,
    givenUpAt: at(now - hoursAgo * HOUR),
    createdAt: at(now - (hoursAgo + 24) * HOUR),
  });
  const pending = (id: string) => ({
    ...givenUp(id, 0),
    attempts: 0,
    status: "pending" as const,
    nextAttemptAt: at(now),
    givenUpAt: null,
  });
  return {
    health: stage,
    deliveredTotal: stage === "ok" ? 6 : 4,
    failedAttemptsTotal: 24,
    givenUpTotal: 2,
    lastDeliveredAt: at(stage === "ok" ? now : now - 30 * HOUR),
    lastError: ERROR,
    lastErrorAt: at(now - 2 * HOUR),
    items:
      stage === "failing"
        ? [givenUp("900002", 2), givenUp("900001", 3)]
        : stage === "retrying"
          ? [pending("900002"), pending("900001")]
          : [],
  };
}

async function serveDeliveries(page: Page, channelId: string, stage: () => "failing" | "retrying" | "ok") {
  let reads = 0;
  await page.route(`**/channels/${channelId}/deliveries`, async (route: Route) => {
    reads++;
    await route.fulfill({ json: record(stage()) });
  });
  return () => reads;
}

describeBrowser("retrying a webhook channel's given-up replies", () => {
  const suite = useBrowserSuite();

  it("retries one and all, shows the outcome, and clears the banner once replies get through", async () => {
    const account = newAccount("retry");
    const registered = await suite.server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const token = registered.body.accessToken;
    const workflow = await suite.server.api<{ id: string }>("POST", "/workflows", {
      token,
      body: { yaml: FLOW },
    });
    await suite.server.api("POST", `/workflows/${workflow.body.id}/publish`, { token, body: {} });
    const channel = await suite.server.api<{ id: string; webhookUrl: string }>("POST", "/channels", {
      token,
      body: { kind: "webhook", name: "Order desk", workflow: workflow.body.id },
    });
    expect(channel.status).toBe(201);

    const page = await suite.newPage();
    let stage: "failing" | "retrying" | "ok" = "failing";
    const reads = await serveDeliveries(page, channel.body.id, () => stage);
    await signInThroughUi(page, account.email, account.password);
    await page.getByRole("link", { name: "Channels" }).click();

    const card = page.getByTestId("channel-deliveries");
    await card.getByRole("alert").filter({ hasText: "Replies are not reaching your endpoint." }).waitFor();
    await card.getByText("Messages owed or given up (2)").click();
    await card.getByText("gave up 2 hours ago").waitFor();
    expect(await page.getByTestId("webhook-how-to-url").textContent()).toBe(channel.body.webhookUrl);
    await screenshot(page, "channel-deliveries-given-up");
    expect(await seriousViolations(page)).toEqual([]);

    // The server has no such delivery: its all-or-none refusal reads as a sentence, and the record is read again.
    const readsBefore = reads();
    await card.getByRole("button", { name: "Retry message msg-900001" }).click();
    const outcome = card.getByTestId("deliveries-retry-outcome");
    await outcome.filter({ hasText: "Nothing was retried: that message is no longer listed" }).waitFor();
    expect(reads()).toBeGreaterThan(readsBefore);

    // Retry all: the server's answer (served here) is counted, and the card shows the messages owed again.
    await page.route(`**/channels/${channel.body.id}/deliveries/retry`, async (route: Route) => {
      expect(route.request().postDataJSON()).toEqual({});
      stage = "retrying";
      await route.fulfill({ json: { retried: 2, ids: ["900002", "900001"] } });
    });
    await card.getByRole("button", { name: "Retry all given-up messages" }).click();
    await outcome.filter({ hasText: "2 messages will be sent again." }).waitFor();
    await card.getByRole("alert").filter({ hasText: "Some replies are waiting to be retried." }).waitFor();
    expect(await card.getByRole("button", { name: /Retry/ }).count()).toBe(0);
    await screenshot(page, "channel-deliveries-retried");
    expect(await seriousViolations(page)).toEqual([]);

    // Delivered at the next sweep: the open page notices by itself, without a reload.
    stage = "ok";
    await card.getByRole("alert").waitFor({ state: "detached", timeout: 25_000 });
    expect(await card.getAttribute("data-health")).toBe("ok");
  }, 120_000);
});
