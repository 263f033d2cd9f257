// Issue 18 in a real browser: the support flow's branching drawn from handles without touching the YAML
// (router intents, a condition's then/else, an ask's answer and timeout, retry on a tool node), renaming an
// intent moves its edge, a drawn dead edge is reported, an edit followed at once by a reload is kept, and the
// seed's `$schema` modeline no longer breaks hover in the YAML view.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { createWorkflowValidator } from "@flowdeck/schemas";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite, type BrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const HERE = dirname(fileURLToPath(import.meta.url));
const EXPECTED = readFileSync(join(HERE, "fixtures", "support-branches.expected.yaml"), "utf8");
const SEED = readFileSync(
  join(HERE, "..", "..", "..", "workflows", "customer_support_workflow.yaml"),
  "utf8",
);
const SAVE_TIMEOUT_MS = 15_000;

/** Nodes only, placed; every edge and the retry and timeout come from the canvas and the forms. */
const NODES_ONLY = `name: support_branches
description: The support flow's branching, drawn on the canvas
nodes:
  - { name: start, type: start }
  - name: classify
    type: router
    config:
      intents:
        - { name: faq, examples: ["How do I reset my password?"] }
        - { name: order, examples: ["Where is my order?"] }
        - { name: human, examples: ["Let me talk to a person"] }
  - { name: search, type: tool.kb_search, config: { query: "{{ input.message }}" } }
  - { name: ask_order, type: ask, config: { prompt: "What is your order number?", variable: order_id } }
  - { name: is_vip, type: condition, config: { expression: "vars.vip == true" } }
  - { name: to_human, type: handoff, config: { reason: "The customer asked for a person." } }
  - { name: done, type: end, config: { reply: "Thanks!", outcome: resolved } }
edges: []
layout:
  start: { x: 0, y: 160 }
  classify: { x: 260, y: 100 }
  search: { x: 600, y: 0 }
  ask_order: { x: 600, y: 140 }
  is_vip: { x: 600, y: 300 }
  to_human: { x: 940, y: 60 }
  done: { x: 940, y: 260 }
`;

interface Opened {
  readonly page: Page;
  savedYaml(): Promise<string>;
}

async function openFlow(suite: BrowserSuite, yaml: string): Promise<Opened> {
  const account = newAccount("branches");
  const registered = await suite.server.api<{ accessToken: string }>("POST", "/auth/register", {
    body: { tenantName: account.tenantName, email: account.email, password: account.password },
  });
  const token = registered.body.accessToken;
  const created = await suite.server.api<{ id: string }>("POST", "/workflows", { token, body: { yaml } });
  expect(created.status).toBe(201);
  const page = await suite.newPage();
  await signInThroughUi(page, account.email, account.password);
  await page.goto(`/flows/${created.body.id}`);
  await page.getByTestId("workflow-builder").waitFor();
  const savedYaml = async () =>
    (await suite.server.api<{ yaml: string }>("GET", `/workflows/${created.body.id}`, { token })).body.yaml;
  return { page, savedYaml };
}

async function waitForSaved(opened: Opened, check: (yaml: string) => boolean): Promise<string> {
  let last = "";
  await expect
    .poll(async () => check((last = await opened.savedYaml())), { timeout: SAVE_TIMEOUT_MS, interval: 250 })
    .toBe(true);
  return last;
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`not on screen: ${locator.toString()}`);
  return found;
}

/** Drags from a node's handle (`case:faq`, `then`, `error` …) to another node's input. */
async function draw(page: Page, from: string, handle: string, to: string): Promise<void> {
  const source = await box(page.getByTestId(`handle-${from}-${handle}`));
  const target = await box(
    page.getByTestId(`node-${to}`).locator("..").locator(".react-flow__handle.target"),
  );
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** The canvas fits the flow once its cards are measured; drawing before that would start where a handle was. */
async function canvasSettled(page: Page): Promise<void> {
  const where = async () => JSON.stringify(await box(page.getByTestId("node-start")));
  let last = "";
  await expect
    .poll(
      async () => {
        const now = await where();
        const same = now === last;
        last = now;
        return same;
      },
      { interval: 300, timeout: 10_000 },
    )
    .toBe(true);
}

const edgeLabels = (page: Page) =>
  page.locator(".fdb-edge-label").evaluateAll((els) => els.map((el) => el.textContent ?? "").sort());

describeBrowser("branches on the canvas", () => {
  const suite = useBrowserSuite();

  it("draws the support flow's branching from handles and forms; the saved YAML validates and is the expected file", async () => {
    const opened = await openFlow(suite, NODES_ONLY);
    const { page } = opened;
    await page.getByTestId("handle-classify-case:faq").waitFor();
    await canvasSettled(page);
    // The catch-all first: intents drawn after it still go before it, or they could never be taken.
    await draw(page, "start", "out", "classify");
    await draw(page, "classify", "out", "is_vip");
    await draw(page, "classify", "case:faq", "search");
    await draw(page, "classify", "case:order", "ask_order");
    await draw(page, "classify", "case:human", "to_human");
    await draw(page, "classify", "error", "to_human");
    await draw(page, "search", "out", "done");
    await draw(page, "ask_order", "out", "done");
    await draw(page, "ask_order", "error", "to_human");
    await draw(page, "is_vip", "then", "to_human");
    await draw(page, "is_vip", "else", "done");
    await expect
      .poll(() => edgeLabels(page))
      .toEqual(["answer", "else", "error", "fallback", "faq", "human", "order", "then", "timeout"].sort());

    // The ask's timeout and the tool's retry, in forms.
    await page.getByTestId("node-ask_order").click();
    await page.locator("#fdb-ask_order-timeout_minutes").fill("30");
    await page.getByTestId("node-search").click();
    await page.locator("#fdb-search-node-retry-attempts").fill("3");
    await page.locator("#fdb-search-node-timeout_ms").fill("5000");
    await page.getByTestId("problem-counts").filter({ hasText: "0 errors" }).waitFor();
    await screenshot(page, "builder-branches-drawn");

    const saved = await waitForSaved(
      opened,
      (yaml) => yaml.includes("timeout_ms: 5000") && yaml.includes("timeout_minutes: 30"),
    );
    const validator = createWorkflowValidator(createBuiltinRegistry().catalog());
    expect(validator.validate(saved).problems).toEqual([]);
    expect(saved).toBe(EXPECTED);

    // Selecting an edge shows its raw condition in the inspector only; the label stays the branch name.
    await page.getByTestId("node-search").click();
    await page.keyboard.press("Escape");
    await page
      .locator('.react-flow__edge[data-id="e1"] .react-flow__edge-interaction')
      .dispatchEvent("click");
    await page.getByTestId("edge-inspector").waitFor();
    expect(await page.locator("#fdb-edge-condition").inputValue()).toBe("output.route == 'faq'");
    await screenshot(page, "builder-edge-inspector");
    expect(await seriousViolations(page)).toEqual([]);

    // Renaming an intent in the form moves its edge with it.
    await page.getByTestId("node-classify").click();
    await page.locator("#fdb-classify-intents-0-name").fill("questions");
    await expect.poll(() => edgeLabels(page)).toContain("questions");
    expect(await edgeLabels(page)).not.toContain("faq");
    const renamed = await waitForSaved(opened, (yaml) => yaml.includes("output.route == 'questions'"));
    expect(renamed).not.toContain("output.route == 'faq'");
    expect(validator.validate(renamed).problems).toEqual([]);
    await screenshot(page, "builder-intent-renamed");
  }, 120_000);

  it("reports a drawn dead edge (FD128) with its line", async () => {
    const opened = await openFlow(suite, NODES_ONLY);
    const { page } = opened;
    await page.getByTestId("handle-classify-case:faq").waitFor();
    await canvasSettled(page);
    await draw(page, "start", "out", "classify");
    await draw(page, "classify", "case:faq", "search");
    await draw(page, "search", "out", "done");
    await draw(page, "search", "out", "to_human");
    const problem = page.getByTestId("validation-panel").getByText(/FD128/);
    await problem.first().waitFor();
    const panel = await page.getByTestId("validation-panel").innerText();
    expect(panel).toMatch(/never taken/);
    expect(panel).toMatch(/line \d+|:\d+/i);
    await screenshot(page, "builder-dead-edge");
  }, 90_000);

  it("works from the keyboard: Enter adds a node in free space, arrows move it, the inspector connects it", async () => {
    const opened = await openFlow(suite, NODES_ONLY);
    const { page } = opened;
    await page.getByTestId("node-start").waitFor();
    await canvasSettled(page);
    await page.getByTestId("palette-item-reply").focus();
    await page.keyboard.press("Enter");
    const added = page.getByTestId("node-reply");
    await added.waitFor();
    const cards = await page.locator("[data-node-name]").evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return {
          name: el.getAttribute("data-node-name"),
          left: r.left,
          top: r.top,
          right: r.right,
          bottom: r.bottom,
        };
      }),
    );
    const mine = cards.find((c) => c.name === "reply")!;
    for (const other of cards.filter((c) => c.name !== "reply")) {
      const overlaps =
        mine.left < other.right &&
        mine.right > other.left &&
        mine.top < other.bottom &&
        mine.bottom > other.top;
      expect(overlaps, `reply lands on ${other.name}`).toBe(false);
    }

    // The new node is selected; focused, the arrow keys move it.
    await added.locator("..").focus();
    const before = await box(added);
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await box(added)).x).toBeGreaterThan(before.x);

    // Connecting without a pointer: the inspector's Connect section, driven by keys only.
    await page.locator("#fdb-connect-target").focus();
    await page.locator("#fdb-connect-target").selectOption("done");
    await page.getByTestId("connect-add").focus();
    await page.keyboard.press("Enter");
    await waitForSaved(opened, (yaml) => yaml.includes("{ from: reply, to: done }"));
    await screenshot(page, "builder-keyboard-connect");
  }, 90_000);

  it("keeps an edit made just before a reload", async () => {
    const opened = await openFlow(suite, NODES_ONLY);
    const { page } = opened;
    page.on("dialog", (dialog) => void dialog.accept());
    await page.getByTestId("node-done").click();
    await page.locator("#fdb-done-node-description").fill("Saved on the way out");
    await page.reload();
    await page.getByTestId("workflow-builder").waitFor();
    await waitForSaved(opened, (yaml) => yaml.includes("Saved on the way out"));
    await page.getByTestId("node-done").click();
    expect(await page.locator("#fdb-done-node-description").inputValue()).toBe("Saved on the way out");
  }, 90_000);

  it("hovers a seed file's key in the YAML view and shows its help, modeline and all", async () => {
    const opened = await openFlow(suite, SEED);
    const { page } = opened;
    await page.getByRole("button", { name: "YAML", exact: true }).click();
    const lines = page.locator('[data-testid="yaml-view"] .view-lines');
    await lines.waitFor();
    const key = lines.locator(".view-line", { hasText: /^trigger:/ }).first();
    const hover = page.locator(".monaco-hover-content").filter({ hasText: /starts a run/ });
    // Monaco replaces its line elements as it renders; hover() finds the line again until it holds still. A
    // mouse that came to rest before the YAML worker was up (a busy machine) gets no hover until it moves
    // again, as a person's would: so move off and back until the help shows.
    const deadline = Date.now() + 40_000;
    for (;;) {
      await page.mouse.move(0, 0);
      await key.hover({ position: { x: 20, y: 8 } });
      const shown = await hover
        .first()
        .waitFor({ timeout: 4_000 })
        .then(() => true)
        .catch((error: unknown) => {
          if (Date.now() > deadline) throw error;
          return false;
        });
      if (shown) break;
    }
    expect(await page.locator(".monaco-hover-content").allInnerTexts()).not.toContain(
      "Unable to load schema",
    );
    await screenshot(page, "builder-yaml-hover-seed");
  }, 90_000);
});
