// The builder in a real browser against a real server: build a flow by drag and drop alone, edit the YAML and
// watch the canvas follow, keep a YAML comment through a canvas move, see a problem as a marker and in the
// panel, undo and redo. Every change is checked where it matters: in the draft the server saved.
import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { DEFAULT_COALESCE_WINDOW_MS } from "../../src/builder/text-history";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite, type BrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { createWorkflowThroughUi, newAccount, signUpThroughUi, type Account } from "./support/ui-flows";

/** Autosave waits for a quiet moment and the server answers; poll the saved draft this long. */
const SAVE_TIMEOUT_MS = 15_000;

interface Opened {
  readonly page: Page;
  readonly id: string;
  savedYaml(): Promise<string>;
}

async function openNewWorkflow(suite: BrowserSuite, title: string): Promise<Opened> {
  const page = await suite.newPage();
  const account: Account = newAccount("builder");
  await signUpThroughUi(page, account);
  const id = await createWorkflowThroughUi(page, title);
  await page.getByTestId("workflow-builder").waitFor();
  const login = await suite.server.api<{ accessToken: string }>("POST", "/auth/login", {
    body: { email: account.email, password: account.password },
  });
  const savedYaml = async () =>
    (await suite.server.api<{ yaml: string }>("GET", `/workflows/${id}`, { token: login.body.accessToken }))
      .body.yaml;
  return { page, id, savedYaml };
}

async function waitForSaved(opened: Opened, check: (yaml: string) => boolean): Promise<string> {
  let last = "";
  await expect
    .poll(
      async () => {
        last = await opened.savedYaml();
        return check(last);
      },
      { timeout: SAVE_TIMEOUT_MS, interval: 250 },
    )
    .toBe(true);
  return last;
}

/** The text Monaco shows (all lines must be on screen); Monaco renders spaces as non-breaking ones. */
async function monacoText(page: Page): Promise<string> {
  return (await page.locator('[data-testid="yaml-view"] .view-lines').innerText()).replace(/\u00a0/g, " ");
}

/** Selects all of the YAML and pastes `text` over it (typing would auto-indent every new line). */
async function replaceYaml(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-testid="yaml-view"] .monaco-editor textarea');
  await input.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await input.evaluate((el, pasted) => {
    const data = new DataTransfer();
    data.setData("text/plain", pasted);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

async function dragFromPalette(page: Page, type: string, at: { x: number; y: number }): Promise<void> {
  const canvas = page.getByTestId("canvas");
  await page.getByTestId(`palette-item-${type}`).dragTo(canvas, { targetPosition: at });
}

async function connect(page: Page, from: string, to: string): Promise<void> {
  const source = await box(page.getByTestId(`handle-${from}-out`));
  const target = await box(
    page.getByTestId(`node-${to}`).locator("..").locator(".react-flow__handle.target"),
  );
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`not on screen: ${locator.toString()}`);
  return found;
}

const nodeNames = async (page: Page) =>
  page.locator("[data-node-name]").evaluateAll((els) => els.map((el) => el.getAttribute("data-node-name")));

describeBrowser("workflow builder in Chromium", () => {
  const suite = useBrowserSuite();

  it("builds a three-node flow only by dragging from the palette and connecting, and the YAML appears", async () => {
    const opened = await openNewWorkflow(suite, "Three steps");
    const { page } = opened;
    await page.getByTestId("node-start").waitFor();
    await screenshot(page, "builder-canvas");

    // Start from an empty canvas: select everything and delete it.
    await page
      .getByTestId("canvas")
      .locator(".react-flow__pane")
      .click({ position: { x: 20, y: 20 } });
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Delete");
    await expect.poll(() => nodeNames(page)).toEqual([]);

    await dragFromPalette(page, "start", { x: 120, y: 200 });
    await dragFromPalette(page, "reply", { x: 380, y: 200 });
    await dragFromPalette(page, "end", { x: 640, y: 200 });
    await expect.poll(() => nodeNames(page)).toEqual(["start", "reply", "end"]);
    await connect(page, "start", "reply");
    await connect(page, "reply", "end");
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(2);

    await page.getByTestId("view-split").click();
    await page.locator('[data-testid="yaml-view"] .view-lines').waitFor();
    await expect
      .poll(() => monacoText(page))
      .toMatch(/- \{ from: start, to: reply \}[\s\S]*- \{ from: reply, to: end \}/);
    const text = await monacoText(page);
    expect(text).toMatch(/- name: start\s+type: start/);
    expect(text).toMatch(/- name: reply\s+type: reply/);
    expect(text).toMatch(/layout:[\s\S]*end: \{ x: -?\d+, y: -?\d+ \}/);
    await page.getByTestId("problem-counts").filter({ hasText: "0 errors" }).waitFor();
    await screenshot(page, "builder-three-nodes-split");

    const saved = await waitForSaved(opened, (yaml) => yaml.includes("{ from: reply, to: end }"));
    expect(saved).toContain("type: reply");
    expect(saved).not.toContain("config: { reply:");

    // The builder with a node selected (inspector open) and the YAML view has no serious accessibility problem.
    await page.getByTestId("node-reply").click();
    await page.getByTestId("inspector-name").waitFor();
    await screenshot(page, "builder-inspector");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("follows YAML edits on the canvas, and a canvas move keeps the YAML's comment", async () => {
    const opened = await openNewWorkflow(suite, "Yaml first");
    const { page } = opened;
    await page.getByTestId("view-split").click();
    await page.locator('[data-testid="yaml-view"] .view-lines').waitFor();
    const before = await opened.savedYaml();
    const edited = before
      .replace(
        "edges:",
        '  # Greets the customer by name: keep this comment.\n  - name: greeter\n    type: reply\n    config:\n      text: "Hello {{ input.message }}"\nedges:',
      )
      .replace(
        "  - { from: start, to: reply }",
        "  - { from: start, to: greeter }\n  - { from: greeter, to: reply }",
      );
    await replaceYaml(page, edited);
    await page.getByTestId("node-greeter").waitFor();
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(2);
    await screenshot(page, "builder-yaml-edit");

    const node = await box(page.getByTestId("node-greeter"));
    await page.mouse.move(node.x + 30, node.y + 12);
    await page.mouse.down();
    await page.mouse.move(node.x + 30, node.y + 140, { steps: 10 });
    await page.mouse.up();
    const saved = await waitForSaved(opened, (yaml) => /greeter: \{ x: -?\d+, y: -?\d+ \}/.test(yaml));
    expect(saved).toContain("# Greets the customer by name: keep this comment.");
    expect(saved).toContain('text: "Hello {{ input.message }}"');
    expect(await monacoText(page)).toContain("# Greets the customer by name: keep this comment.");
    await screenshot(page, "builder-moved-keeps-comment");

    // Keyboard only: Enter on a palette item adds it; arrow keys move the selected node, and that is saved too.
    await page.getByTestId("palette-item-handoff").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("node-handoff").waitFor();
    const movedX = Number(/greeter: \{ x: (-?\d+)/.exec(saved)?.[1]);
    await page.getByTestId("node-greeter").click();
    await page.getByTestId("node-greeter").locator("..").focus();
    for (let i = 0; i < 4; i += 1) await page.keyboard.press("ArrowRight");
    const keyed = await waitForSaved(opened, (yaml) => {
      const x = Number(/greeter: \{ x: (-?\d+)/.exec(yaml)?.[1]);
      return yaml.includes("type: handoff") && x > movedX;
    });
    expect(keyed).toContain("# Greets the customer by name: keep this comment.");
  });

  it("shows a problem as a marker and in the validation panel; a click goes to the node; undo and redo", async () => {
    const opened = await openNewWorkflow(suite, "With problems");
    const { page } = opened;
    await page.getByTestId("view-split").click();
    await page.locator('[data-testid="yaml-view"] .view-lines').waitFor();
    const good = await opened.savedYaml();

    // A node type that does not exist: a marker in the YAML, an entry in the panel, a badge on the card.
    const broken = good.replace("type: end", "type: ending");
    expect(broken).not.toBe(good);
    await replaceYaml(page, broken);
    const item = page.getByTestId("problem-item").filter({ hasText: "ending" }).first();
    await item.waitFor();
    await page.locator('[data-testid="yaml-view"] .squiggly-error').first().waitFor();
    await screenshot(page, "builder-problem");
    await item.click();
    await expect
      .poll(() => page.getByTestId("node-reply").getAttribute("class"))
      .toContain("fdb-node--selected");
    await page.getByTestId("node-badge-reply").waitFor();
    await page.getByTestId("inspector-name").waitFor();
    expect(await page.getByTestId("inspector-name").inputValue()).toBe("reply");
    // The problem shows at once (checked locally), and YAML edits less than the coalesce window apart are one
    // undo step; the undo below expects two.
    await page.waitForTimeout(DEFAULT_COALESCE_WINDOW_MS + 250);

    // YAML that does not parse: a banner, and the canvas keeps the last good graph.
    await replaceYaml(page, `${good}nodes: [unclosed\n`);
    await page.getByTestId("parse-banner").waitFor();
    expect(await nodeNames(page)).toEqual(["start", "reply"]);
    await screenshot(page, "builder-parse-error");

    // Undo goes back through both edits; redo comes forward again.
    await page.getByTestId("undo").click();
    await page.getByTestId("parse-banner").waitFor({ state: "detached" });
    expect(await monacoText(page)).toContain("type: ending");
    await page.getByTestId("undo").click();
    await expect.poll(() => monacoText(page)).not.toContain("type: ending");
    await page.getByTestId("redo").click();
    await expect.poll(() => monacoText(page)).toContain("type: ending");
    // And from the keyboard on the canvas.
    await page
      .getByTestId("canvas")
      .locator(".react-flow__pane")
      .click({ position: { x: 20, y: 20 } });
    await page.keyboard.press("ControlOrMeta+Z");
    await expect.poll(() => monacoText(page)).not.toContain("type: ending");
    await waitForSaved(opened, (yaml) => yaml === good);
  });

  it("checks the schema as you type under the server's CSP, with no save reaching the server", async () => {
    const opened = await openNewWorkflow(suite, "Local checks");
    const { page } = opened;
    // The page really runs under helmet's policy: no 'unsafe-eval', so Ajv could not compile the schema here.
    const csp = (await page.request.get(page.url())).headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
    // Every draft save fails, so a schema problem can only come from the builder's own (precompiled) check.
    let blockedSaves = 0;
    await page.route(/\/workflows\/[^/]+\/draft$/, (route) => {
      if (route.request().method() !== "PUT") return route.fallback();
      blockedSaves += 1;
      return route.abort();
    });
    await page.getByTestId("view-split").click();
    await page.locator('[data-testid="yaml-view"] .view-lines').waitFor();
    const good = await opened.savedYaml();
    // A setting the end node does not have: only the JSON Schema check (Ajv) reports this, not the YAML parser.
    const broken = good.replace("config: { reply:", "config: { colour: red, reply:");
    expect(broken).not.toBe(good);

    await replaceYaml(page, broken);
    const item = page.getByTestId("problem-item").filter({ hasText: "colour" }).first();
    await item.waitFor();
    expect(await item.getAttribute("data-code")).toBe("FD112");
    await page.locator('[data-testid="yaml-view"] .squiggly-error').first().waitFor();
    await expect(page.getByTestId("validation-panel").innerText()).resolves.not.toContain("on the server");
    await expect.poll(() => blockedSaves, { timeout: SAVE_TIMEOUT_MS }).toBeGreaterThan(0);
    expect(await opened.savedYaml()).toBe(good);
  });
});
