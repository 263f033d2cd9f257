// Issue 17 item 5 in a real browser: the Insights page draws its charts from real runs of this workspace — two
// resolved conversations and one handed to a person, which counts as a handoff, not as resolved — and its
// version filter narrows them. An editor test run of a draft stays out until "Include editor test runs" is
// ticked. Passes axe; saved as screenshots.
import { expect, it } from "vitest";
import { dayLabel } from "../../src/insights/day-axis";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const RESOLVING = `name: answers
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Here you go.", outcome: resolved } }
edges:
  - { from: start, to: done }
`;
const HANDING_OFF = `name: escalates
nodes:
  - { name: start, type: start }
  - { name: human, type: handoff, config: { reason: "Needs a person", queue: support } }
  - { name: done, type: end, config: { reply: "Back to the bot.", outcome: resolved } }
edges:
  - { from: start, to: human }
  - { from: human, to: done }
`;

describeBrowser("insights in Chromium", () => {
  const suite = useBrowserSuite();

  it("charts real runs and counts a handoff as a handoff", async () => {
    const account = newAccount("insights");
    const { body } = await suite.server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const token = body.accessToken;
    for (const yaml of [RESOLVING, HANDING_OFF]) {
      const created = await suite.server.api<{ id: string }>("POST", "/workflows", { token, body: { yaml } });
      expect(
        (await suite.server.api("POST", `/workflows/${created.body.id}/publish`, { token, body: {} })).status,
      ).toBe(201);
    }
    const runs: string[] = [];
    for (const workflow of ["answers", "answers", "escalates"]) {
      const started = await suite.server.api<{ id: string }>("POST", "/runs", {
        token,
        body: { workflow, input: { message: "Hello" } },
      });
      expect(started.status).toBe(202);
      runs.push(started.body.id);
    }
    // Every run reached its resting state (completed, or handed to a person).
    await expect
      .poll(async () => {
        const states = await Promise.all(
          runs.map(
            async (id) =>
              (await suite.server.api<{ status: string }>("GET", `/runs/${id}`, { token })).body.status,
          ),
        );
        return states.sort().join(",");
      })
      .toBe("completed,completed,handoff");
    // A test run of the draft, as the builder starts one: staff trying the flow, not a customer.
    const test = await suite.server.api<{ id: string }>("POST", "/runs", {
      token,
      body: { workflow: "answers", draft: true, input: { message: "Testing" } },
    });
    expect(test.status).toBe(202);
    await expect
      .poll(
        async () =>
          (await suite.server.api<{ status: string }>("GET", `/runs/${test.body.id}`, { token })).body.status,
      )
      .toBe("completed");

    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.getByRole("link", { name: "Insights" }).click();
    await page.getByRole("heading", { name: "Insights", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/insights");
    const tile = (label: string) => page.getByTestId(`tile-${label}`);
    await tile("Runs").filter({ hasText: "3" }).waitFor();
    expect(await tile("Handed to a person").textContent()).toContain("33.3%");
    expect(await tile("Resolved by the bot").textContent()).toContain("66.7%");
    for (const chart of ["chart-runs", "chart-outcomes", "chart-router", "chart-usage"]) {
      await page.getByTestId(chart).locator("canvas").first().waitFor();
    }
    // The numbers behind a chart: today's row has one handoff.
    const outcomes = page.getByTestId("chart-outcomes");
    await outcomes.getByText("Show the numbers").click();
    const today = outcomes.locator("tbody tr").last();
    expect(await today.locator("td").allTextContents()).toEqual(["2", "0", "1", "0"]);
    await screenshot(page, "insights");
    expect(await seriousViolations(page)).toEqual([]);

    // Filtering by workflow narrows every number.
    await page.getByLabel("Workflow", { exact: true }).selectOption("escalates");
    await tile("Runs")
      .filter({ hasText: /^Runs1/ })
      .waitFor();
    expect(await tile("Handed to a person").textContent()).toContain("100%");
    expect(await page.getByTestId("workflow-outcomes").locator("tbody tr").count()).toBe(2);

    // Workflow names read as they are written, not as small capitals.
    const name = page.getByTestId("workflow-outcomes").getByRole("rowheader", { name: "answers" });
    expect(await name.evaluate((cell) => getComputedStyle(cell).textTransform)).toBe("none");
    expect(await page.getByTestId("workflow-outcomes").textContent()).not.toContain("draft");
    // The day axis ends on the server's last (UTC) day.
    const { to } = (await suite.server.api<{ to: string }>("GET", "/analytics/runs?days=30", { token })).body;
    const last = dayLabel(to);
    expect(await page.getByTestId("chart-runs").getByRole("img").getAttribute("aria-label")).toContain(
      `to ${last} (UTC days)`,
    );

    // The toggle adds the test run: one more run, and a draft row that says what it holds.
    await page.getByLabel("Workflow", { exact: true }).selectOption("");
    await page.getByLabel("Include editor test runs").check();
    await tile("Runs")
      .filter({ hasText: /^Runs4/ })
      .waitFor();
    expect(await tile("Resolved by the bot").textContent()).toContain("75%");
    expect(await page.getByTestId("insights-source").textContent()).toContain("editor's test runs");
    await page.getByRole("cell", { name: "Draft (editor test runs)" }).waitFor();
    await screenshot(page, "insights-with-test-runs");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Include editor test runs").uncheck();
    await tile("Runs")
      .filter({ hasText: /^Runs3/ })
      .waitFor();
  }, 90_000);
});
