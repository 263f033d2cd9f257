// The Runs pages as a support lead uses them, in Chromium against a real server: the list shows live runs and
// leaves editor test runs out until asked, filters by channel from a select and by version from a number field;
// a run's page opens a step's detail from the canvas or the event log, replays the run and shows the result,
// and cancels a waiting run after a confirmation (Cancel is disabled once a run has ended).
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const NOTE = `name: note_taker
nodes:
  - { name: start, type: start }
  - name: remember
    type: set
    config:
      values:
        request: "{{ input.message }}"
  - name: done
    type: end
    config:
      reply: "Noted: {{ vars.request }}"
edges:
  - { from: start, to: remember }
  - { from: remember, to: done }
layout:
  start: { x: 0, y: 0 }
  remember: { x: 260, y: 0 }
  done: { x: 520, y: 0 }
`;

const ASKER = `name: asker
nodes:
  - { name: start, type: start }
  - name: ask_name
    type: ask
    config: { prompt: "What is your name?", variable: who }
  - name: done
    type: end
    config: { reply: "Hello {{ vars.who }}" }
edges:
  - { from: start, to: ask_name }
  - { from: ask_name, to: done }
`;

describeBrowser("the Runs pages explain, replay and cancel runs", () => {
  const suite = useBrowserSuite();

  async function setUp(label: string) {
    const { server } = suite;
    const account = newAccount(label);
    const registered = await server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const token = registered.body.accessToken;
    for (const yaml of [NOTE, ASKER]) {
      const created = await server.api<{ id: string }>("POST", "/workflows", { token, body: { yaml } });
      expect(created.status).toBe(201);
      const published = await server.api("POST", `/workflows/${created.body.id}/publish`, {
        token,
        body: { note: "first" },
      });
      expect(published.status).toBe(201);
    }
    const start = async (body: Record<string, unknown>, settled: string) => {
      const started = await server.api<{ id: string }>("POST", "/runs", { token, body });
      expect(started.status).toBe(202);
      await expect
        .poll(
          async () =>
            (await server.api<{ status: string }>("GET", `/runs/${started.body.id}`, { token })).body.status,
        )
        .toBe(settled);
      return started.body.id;
    };
    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    return { start, page };
  }

  it("lists live runs by default, test runs on request, and filters by channel and version", async () => {
    const { start, page } = await setUp("runs-list");
    await start({ workflow: "note_taker", input: { message: "Live one" } }, "completed");
    await start({ workflow: "note_taker", draft: true, input: { message: "Test one" } }, "completed");

    await page.goto("/runs");
    await page.getByRole("heading", { name: "Runs", level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(1);
    await expect.poll(() => page.getByTestId("runs-subtitle").textContent()).toContain("not listed");
    expect(await page.getByTestId("run-row").getByTestId("run-channel").textContent()).toBe("API");
    expect(await page.getByTestId("filter-version").getAttribute("type")).toBe("number");

    await page.getByTestId("filter-include-tests").check();
    await page.getByTestId("filter-apply").click();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(2);

    await page.getByTestId("filter-channel").selectOption({ label: "Editor test runs" });
    await page.getByTestId("filter-apply").click();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(1);
    expect(await page.getByTestId("run-row").getByTestId("run-channel").textContent()).toBe(
      "Editor test run",
    );
    await page.getByTestId("filter-channel").selectOption({ label: "API" });
    await page.getByTestId("filter-version").fill("2");
    await page.getByTestId("filter-apply").click();
    await page.getByTestId("runs-empty").waitFor();
    await page.getByTestId("filter-version").fill("1");
    await page.getByTestId("filter-apply").click();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(1);
    await screenshot(page, "runs-list-live-only");
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it("shows a step's detail from the canvas and the event log, and replays the run", async () => {
    const { start, page } = await setUp("runs-detail");
    const runId = await start({ workflow: "note_taker", input: { message: "Where is 1001?" } }, "completed");
    await page.goto(`/runs/${runId}`);
    await page.getByRole("heading", { name: "note_taker v1" }).waitFor();
    await page.getByTestId("run-step-hint").waitFor();

    await page.getByTestId("node-remember").click();
    const detail = page.getByTestId("run-step-detail");
    await detail.getByRole("heading", { name: "Step: remember (set)" }).waitFor();
    expect(await detail.locator('[data-fact="status"] dd').textContent()).toBe("completed");
    expect(await detail.locator('[data-fact="attempts"] dd').textContent()).toBe("1");
    await detail.locator('[data-fact="duration"]').waitFor();
    expect(await detail.getByTestId("run-step-output").textContent()).toContain("Where is 1001?");

    await page.getByTestId("run-events").getByRole("button", { name: /done/ }).first().click();
    await detail.getByRole("heading", { name: "Step: done (end)" }).waitFor();
    await screenshot(page, "run-step-detail");
    expect(await seriousViolations(page)).toEqual([]);

    // Ended: nothing to cancel. Replay against the latest version: the same path, and a link to the replay.
    expect(await page.getByTestId("run-cancel").isDisabled()).toBe(true);
    await page.getByTestId("run-replay").click();
    const result = page.getByTestId("run-replay-result");
    await result.waitFor({ timeout: 40_000 });
    expect(await result.getByTestId("run-replay-route").textContent()).toContain(
      "Same path as the original.",
    );
    await screenshot(page, "run-replay-result");
    await result.getByTestId("run-replay-link").click();
    await page.getByRole("heading", { name: "note_taker v1" }).waitFor();
    await expect.poll(() => page.getByTestId("run-channel").textContent()).toContain("Replay");
    expect(new URL(page.url()).pathname).not.toBe(`/runs/${runId}`);
  }, 120_000);

  it("cancels a waiting run after a confirmation", async () => {
    const { start, page } = await setUp("runs-cancel");
    const runId = await start({ workflow: "asker", input: {} }, "waiting");
    await page.goto(`/runs/${runId}`);
    await page.getByRole("heading", { name: "asker v1" }).waitFor();
    await page.getByTestId("run-cancel").click();
    const dialog = page.getByRole("dialog", { name: "Cancel this run?" });
    await dialog.waitFor();
    await screenshot(page, "run-cancel-confirm");
    await dialog.getByRole("button", { name: "Keep it running" }).click();
    expect(await page.getByTestId("run-status").first().textContent()).toBe("waiting");
    await page.getByTestId("run-cancel").click();
    await page.getByTestId("run-cancel-confirm").click();
    await expect.poll(() => page.getByTestId("run-status").first().textContent()).toBe("cancelled");
    expect(await page.getByTestId("run-cancel").isDisabled()).toBe(true);
  }, 120_000);
});
