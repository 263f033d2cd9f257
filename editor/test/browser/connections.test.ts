// Issue 19 items 2 and 6 in a real browser: an admin allow-lists a private host and stores a credential for tools
// from Settings (the value never shown again), and a webhook channel whose receiver is down shows its failing
// deliveries and the last error on the Channels page. Each state passes axe and is saved as a screenshot.
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const FLOW = `name: hook_reply
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Thanks, we got it." } }
edges:
  - { from: start, to: done }
`;
const TOKEN_VALUE = "sk_live_order_system_4321";

/** A loopback port nobody listens on: deliveries to it are refused at connect. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describeBrowser("connecting a workspace to its own systems", () => {
  const suite = useBrowserSuite();

  it("allow-lists a host, stores a credential, and shows a failing webhook receiver", async () => {
    const account = newAccount("connect");
    const registered = await suite.server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const token = registered.body.accessToken;
    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.getByRole("link", { name: "Settings" }).click();

    // An entry the server cannot read is refused with what and where; nothing is saved.
    const entries = page.getByLabel("Allowed hosts and ranges (one per line)");
    await entries.fill("10.20.0.0/33");
    await page.getByRole("button", { name: "Save allow-list" }).click();
    await page.getByRole("alert").filter({ hasText: "10.20.0.0/33" }).waitFor();
    expect(
      (await suite.server.api<{ entries: string[] }>("GET", "/settings/http-allow-list", { token })).body
        .entries,
    ).toEqual([]);
    await entries.fill("127.0.0.1\n10.20.0.0/16");
    await page.getByRole("button", { name: "Save allow-list" }).click();
    await page.getByText("HTTP allow-list saved.").waitFor();
    expect(
      (await suite.server.api<{ entries: string[] }>("GET", "/settings/http-allow-list", { token })).body
        .entries,
    ).toEqual(["127.0.0.1", "10.20.0.0/16"]);

    await page.getByLabel("Credential name").fill("order_api");
    await page.getByLabel("Value").fill(TOKEN_VALUE);
    await page.getByRole("button", { name: "Store credential" }).click();
    const table = page.getByTestId("credentials-table");
    await table.getByText("order_api").waitFor();
    await table.getByText("…4321").waitFor();
    expect(await page.content()).not.toContain(TOKEN_VALUE);
    await screenshot(page, "settings-connections");
    expect(await seriousViolations(page)).toEqual([]);

    // A webhook channel whose receiver is down (a closed loopback port, reachable only because it is listed).
    const workflow = await suite.server.api<{ id: string }>("POST", "/workflows", {
      token,
      body: { yaml: FLOW },
    });
    await suite.server.api("POST", `/workflows/${workflow.body.id}/publish`, { token, body: {} });
    const channel = await suite.server.api<{ id: string; webhookSecret: string; webhookPath: string }>(
      "POST",
      "/channels",
      {
        token,
        body: {
          kind: "webhook",
          name: "Order desk",
          workflow: workflow.body.id,
          outboundUrl: `http://127.0.0.1:${await closedPort()}/hook`,
        },
      },
    );
    expect(channel.status).toBe(201);
    const body = JSON.stringify({ text: "Where is my order?" });
    const t = Math.floor(Date.now() / 1000);
    const mac = createHmac("sha256", channel.body.webhookSecret).update(`${t}.${body}`).digest("hex");
    const sent = await fetch(`${suite.server.url}${channel.body.webhookPath}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "flowdeck-signature": `t=${t},v1=${mac}`,
        "flowdeck-message-id": "msg-1",
      },
      body,
    });
    expect(sent.status).toBeLessThan(300);
    await expect
      .poll(
        async () =>
          (
            await suite.server.api<{ health: string }>("GET", `/channels/${channel.body.id}/deliveries`, {
              token,
            })
          ).body.health,
        { timeout: 15_000 },
      )
      .not.toBe("ok");

    await page.getByRole("link", { name: "Channels" }).click();
    const deliveries = page.getByTestId("channel-deliveries");
    await deliveries.getByRole("alert").waitFor();
    expect(await deliveries.getByRole("alert").textContent()).toMatch(
      /Replies are not reaching|waiting to be retried/,
    );
    expect(await deliveries.getAttribute("data-health")).not.toBe("ok");
    await screenshot(page, "channels-failing-webhook");
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);
});
