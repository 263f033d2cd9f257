// The builder's test-run panel in Chromium against a real server: the demo support flow (customer_support_workflow
// and its subflows, published as the demo tenant has them) is test-run from the builder; its steps light up on
// the canvas and the panel lists them with the router's route, tier and the run's tokens. The conversation is
// saved as a regression case, passes, and fails with the route's difference once the draft sends orders elsewhere.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const SEED_DIR = join(import.meta.dirname, "../../../workflows");
/** A run goes through the router, a subflow and an offline agent: allow for a loaded machine. */
const RUN_TIMEOUT_MS = 30_000;

describeBrowser("test-run panel in Chromium", () => {
  const suite = useBrowserSuite();

  it("test-runs the demo support flow: the steps light up with the route, tier and tokens", async () => {
    const { server } = suite;
    const account = newAccount("testrun");
    const registered = await server.api<{ accessToken: string; tenant: { id: string } }>(
      "POST",
      "/auth/register",
      {
        body: { tenantName: account.tenantName, email: account.email, password: account.password },
      },
    );
    // Registration starts on free; the operator's path moves the workspace to pro.
    await server.setPlan(registered.body.tenant.id, "pro");
    const token = registered.body.accessToken;
    // The demo tenant's flows: every seed workflow created and published, as ensureDemoTenant does.
    const ids = new Map<string, string>();
    for (const file of (await readdir(SEED_DIR)).filter((f) => f.endsWith(".yaml")).sort()) {
      const yaml = await readFile(join(SEED_DIR, file), "utf8");
      const created = await server.api<{ id: string }>("POST", "/workflows", { token, body: { yaml } });
      expect(created.status).toBe(201);
      const published = await server.api("POST", `/workflows/${created.body.id}/publish`, {
        token,
        body: {},
      });
      expect(published.status).toBe(201);
      ids.set(file.replace(/\.yaml$/, ""), created.body.id);
    }

    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.goto(`/flows/${ids.get("customer_support_workflow")}`);
    await page.getByTestId("node-classify_intent").waitFor();
    await page.getByTestId("test-run-toggle").click();
    const panel = page.getByTestId("test-run-panel");
    await panel.waitFor();
    // The greeting arrives as the conversation opens.
    await expect
      .poll(() => panel.getByTestId("test-run-chat").innerText(), { timeout: RUN_TIMEOUT_MS })
      .toMatch(/Welcome/);

    await page.getByTestId("test-run-input").fill("Where is my order #1234? It has not arrived yet.");
    await page.getByRole("button", { name: "Send" }).click();
    const router = panel.getByTestId("test-run-step-classify_intent");
    await router.waitFor({ timeout: RUN_TIMEOUT_MS });
    await expect
      .poll(() => router.locator('[data-fact="route"] dd').innerText(), { timeout: RUN_TIMEOUT_MS })
      .toBe("order");
    expect(await router.locator('[data-fact="tier"] dd').innerText()).toMatch(/local|embeddings|llm/);
    // The path stays drawn on the canvas: the router and the subflow it chose.
    await expect
      .poll(() => page.getByTestId("node-classify_intent").getAttribute("data-trace"), {
        timeout: RUN_TIMEOUT_MS,
      })
      .toBe("completed");
    await expect.poll(() => page.locator('[data-trace="completed"]').count()).toBeGreaterThan(1);
    // ...and so are the edges between them, but not the router's edges to flows it did not choose.
    await expect.poll(() => page.locator('path[data-taken="true"]').count()).toBeGreaterThan(0);
    expect(await page.locator('path[data-taken="true"]').count()).toBeLessThan(
      await page.locator(".react-flow__edge-path").count(),
    );
    await expect.poll(() => panel.getByTestId("test-run-totals").innerText()).toMatch(/\d+ tokens · \$\d/);
    await screenshot(page, "builder-test-run");
    expect(await seriousViolations(page)).toEqual([]);
    // The builder fills the window with the panel open: the panel scrolls inside, never the page, and the input
    // stays on screen; a long URL in a bubble wraps instead of widening the chat.
    await page
      .getByTestId("test-run-input")
      .fill(`Tracking: https://shop.example.com/${"a1b2c3d4".repeat(20)}`);
    const layout = await page.evaluate(() => {
      const chat = document.querySelector<HTMLElement>('[data-testid="test-run-chat"]')!;
      const line = document.createElement("li");
      line.className = "fdb-test-run__line fdb-test-run__line--bot";
      line.textContent = `https://shop.example.com/orders/${"x9y8z7".repeat(30)}`;
      chat.append(line);
      const input = document.querySelector('[data-testid="test-run-input"]')!.getBoundingClientRect();
      const result = {
        pageHeight: document.scrollingElement!.scrollHeight,
        windowHeight: window.innerHeight,
        chatOverflowX: chat.scrollWidth - chat.clientWidth,
        inputBottom: input.bottom,
      };
      line.remove();
      return result;
    });
    expect(layout.pageHeight).toBeLessThanOrEqual(layout.windowHeight);
    expect(layout.chatOverflowX).toBeLessThanOrEqual(0);
    expect(layout.inputBottom).toBeLessThanOrEqual(layout.windowHeight);
    await page.getByTestId("test-run-input").fill("");

    // Save the conversation as a regression case; against the unchanged draft it passes.
    const cases = panel.getByTestId("regression-cases");
    await cases.getByTestId("case-name").fill("Order status");
    await cases.getByRole("button", { name: "Save as case" }).click();
    const saved = cases.getByTestId("case-Order status");
    await saved.waitFor();
    await cases.getByTestId("cases-run-all").click();
    await expect.poll(() => saved.getAttribute("data-verdict"), { timeout: RUN_TIMEOUT_MS }).toBeTruthy();
    await saved.scrollIntoViewIfNeeded();
    await screenshot(page, "builder-regression-case-passed");
    expect(await saved.getAttribute("data-verdict")).toBe("pass");

    // Restart: a new conversation, the canvas cleared of the old path.
    await panel.getByTestId("test-run-restart").click();
    await expect.poll(() => page.locator("[data-trace]").count()).toBe(0);
    expect(await page.locator('path[data-taken="true"]').count()).toBe(0);

    // Change the draft so order questions go to the FAQ flow: the case fails and shows where the route parts.
    const flowId = ids.get("customer_support_workflow")!;
    const draft = await server.api<{ yaml: string; revision: number }>("GET", `/workflows/${flowId}`, {
      token,
    });
    const changed = draft.body.yaml.replace(
      `{ from: classify_intent, to: order_flow, condition: "output.route == 'order'" }`,
      `{ from: classify_intent, to: faq_flow, condition: "output.route == 'order'" }`,
    );
    expect(changed).not.toBe(draft.body.yaml);
    const put = await server.api("PUT", `/workflows/${flowId}/draft`, {
      token,
      body: { yaml: changed },
      headers: { "if-match": `"${flowId}.${draft.body.revision}"` },
    });
    expect(put.status).toBe(200);
    await page.reload();
    await page.getByTestId("node-classify_intent").waitFor();
    await page.getByTestId("test-run-toggle").click();
    const failing = page.getByTestId("case-Order status");
    await failing.waitFor();
    await page.getByTestId("cases-run-all").click();
    await expect.poll(() => failing.getAttribute("data-verdict"), { timeout: RUN_TIMEOUT_MS }).toBe("fail");
    const diff = failing.getByTestId("case-diff");
    // The route parts where the FAQ flow's steps begin instead of the order flow's (has_order_id).
    await diff.getByText(/^Route \(from step \d+\)$/).waitFor();
    const [before, after] = [
      await diff.locator("del").first().innerText(),
      await diff.locator("ins").first().innerText(),
    ];
    expect(before).toMatch(/has_order_id/);
    expect(after).not.toMatch(/has_order_id/);
    expect(after).not.toBe(before);
    await failing.scrollIntoViewIfNeeded();
    await screenshot(page, "builder-regression-case-failed");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("restarts from an earlier message: the messages before it are sent again, it waits in the input", async () => {
    const { server } = suite;
    const account = newAccount("restart");
    const { body } = await server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const echo = `name: echo\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end, config: { reply: "You said: {{ input.message }}" } }\nedges:\n  - { from: start, to: done }\n`;
    const created = await server.api<{ id: string }>("POST", "/workflows", {
      token: body.accessToken,
      body: { yaml: echo },
    });
    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.goto(`/flows/${created.body.id}`);
    await page.getByTestId("node-done").waitFor();
    await page.getByTestId("test-run-toggle").click();
    const chat = page.getByTestId("test-run-chat");
    for (const message of ["first", "second"]) {
      await page.getByTestId("test-run-input").fill(message);
      await page.getByRole("button", { name: "Send" }).click();
      await chat.getByText(`You said: ${message}`).waitFor({ timeout: RUN_TIMEOUT_MS });
    }
    await chat.getByTestId("test-run-restart-here").nth(1).click();
    await chat.getByText("You said: first").waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await page.getByTestId("test-run-input").inputValue()).toBe("second");
    await expect.poll(() => chat.getByText("You said: second").count()).toBe(0);
    await screenshot(page, "builder-test-run-restart-from-here");
  }, 90_000);

  it("offers an ask's choices as buttons; a click answers as the customer", async () => {
    const { server } = suite;
    const account = newAccount("choices");
    const { body } = await server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const flow = [
      "name: confirm",
      "nodes:",
      "  - { name: start, type: start }",
      '  - { name: sure, type: ask, config: { prompt: "Cancel it?", variable: answer, choices: ["Yes", "No"] } }',
      '  - { name: done, type: end, config: { reply: "You chose {{ vars.answer }}" } }',
      "edges:",
      "  - { from: start, to: sure }",
      "  - { from: sure, to: done }",
      "",
    ].join("\n");
    const created = await server.api<{ id: string }>("POST", "/workflows", {
      token: body.accessToken,
      body: { yaml: flow },
    });
    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.goto(`/flows/${created.body.id}`);
    await page.getByTestId("node-sure").waitFor();
    await page.getByTestId("test-run-toggle").click();
    const chat = page.getByTestId("test-run-chat");
    await page.getByTestId("test-run-input").fill("hi");
    await page.getByRole("button", { name: "Send" }).click();
    const offered = chat.getByRole("group", { name: "Suggested answers" });
    await expect
      .poll(() => offered.getByRole("button").allTextContents(), { timeout: RUN_TIMEOUT_MS })
      .toEqual(["Yes", "No"]);
    await offered.getByRole("button", { name: "No" }).click();
    await chat.getByText("You chose No").waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await offered.count()).toBe(0);
  }, 90_000);
});
