// Issue 17 items 2 and 3 in Chromium against a real server: publish from the builder with the diff against the
// live version drawn on the canvas and listed; the versions page compares two versions and rolls back; the
// workflow list says when a draft has unpublished changes; the run history (typed as a URL: the server answers
// the page, not the API's JSON) filters and pages runs, and a run's page draws its path on its version's canvas
// with its messages and events. Each screen passes axe and is saved as a screenshot.
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const V1 = `name: order_help
description: Answers order questions
nodes:
  - name: start
    type: start
  - name: remember
    type: set
    config:
      values:
        request: "{{ input.message }}"
  - name: old_note
    type: set
    config:
      values:
        note: legacy
  - name: done
    type: end
    config:
      reply: "Thanks, we got: {{ vars.request }}"
edges:
  - { from: start, to: remember }
  - { from: remember, to: old_note }
  - { from: old_note, to: done }
layout:
  start: { x: 0, y: 0 }
  remember: { x: 260, y: 0 }
  old_note: { x: 520, y: 0 }
  done: { x: 780, y: 0 }
`;

// v2: the end node's reply changes, old_note is removed, a new node "tag" is added in its place.
const V2 = V1.replace("Thanks, we got", "Thank you, we received")
  .replace(
    `  - name: old_note
    type: set
    config:
      values:
        note: legacy
`,
    `  - name: tag
    type: set
    config:
      values:
        topic: order
`,
  )
  .replace("{ from: remember, to: old_note }", "{ from: remember, to: tag }")
  .replace("{ from: old_note, to: done }", "{ from: tag, to: done }")
  .replace("old_note: { x: 520, y: 0 }", "tag: { x: 520, y: 120 }");

describeBrowser("publish, versions and runs in Chromium", () => {
  const suite = useBrowserSuite();

  async function setUp(label: string) {
    const { server } = suite;
    const account = newAccount(label);
    const registered = await server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const token = registered.body.accessToken;
    const created = await server.api<{ id: string }>("POST", "/workflows", { token, body: { yaml: V1 } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(
      (await server.api("POST", `/workflows/${id}/publish`, { token, body: { note: "first" } })).status,
    ).toBe(201);
    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    return { token, id, page };
  }

  it("publishes from the builder with the diff drawn, compares versions and rolls back", async () => {
    const { server } = suite;
    const { token, id, page } = await setUp("publish");
    const saved = await server.api("PUT", `/workflows/${id}/draft`, {
      token,
      body: { yaml: V2 },
      headers: { "if-match": `"${id}.1"` },
    });
    expect(saved.status).toBe(200);

    // The list says the draft moved on since v1.
    await page.goto("/");
    const row = page.getByTestId("workflow-row").filter({ hasText: "order_help" });
    await row.getByText("Published v1").waitFor();
    await row.getByTestId("unpublished-changes").waitFor();

    // Publish from the builder: the diff against v1, drawn and listed.
    await page.goto(`/flows/${id}`);
    await page.getByTestId("node-remember").waitFor();
    await page.getByTestId("publish-open").click();
    const dialog = page.getByTestId("publish-dialog");
    await dialog.getByTestId("diff-view").waitFor();
    await expect.poll(() => dialog.getByTestId("node-tag").getAttribute("data-mark")).toBe("added");
    expect(await dialog.getByTestId("node-old_note").getAttribute("data-mark")).toBe("removed");
    expect(await dialog.getByTestId("node-done").getAttribute("data-mark")).toBe("changed");
    expect(await dialog.getByTestId("node-remember").getAttribute("data-mark")).toBeNull();
    expect(await dialog.getByTestId("diff-changed-done").innerText()).toContain("config.reply");
    await dialog.getByTestId("publish-note").fill("Friendlier reply, tag the topic");
    await screenshot(page, "publish-diff");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId("publish-confirm").click();
    await page.getByText("Published version 2.").waitFor();

    // The versions page: v2 live with its note; compare v1 → v2; roll back to v1.
    await page.getByTestId("versions-link").click();
    await page.getByRole("heading", { name: "Versions of order_help" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/flows/${id}/versions`);
    const v2 = page.getByTestId("version-2");
    await v2.getByText("Live").waitFor();
    await v2.getByText("Friendlier reply, tag the topic").waitFor();
    await page.getByTestId("workflow-picture").getByTestId("node-tag").waitFor();
    await screenshot(page, "versions-view");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId("compare-from").selectOption("1");
    await page.getByTestId("compare-to").selectOption("2");
    await page.getByTestId("compare-submit").click();
    await page.getByTestId("diff-view").getByTestId("node-old_note").waitFor();
    expect(await page.getByTestId("shown-title").innerText()).toBe("v1 → v2");
    expect(await page.getByTestId("diff-view").getByTestId("node-tag").getAttribute("data-mark")).toBe(
      "added",
    );
    await screenshot(page, "versions-compare");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId("rollback-1").click();
    await page.getByTestId("rollback-confirm").click();
    await page.getByTestId("version-3").getByText("Live").waitFor();
    await page.getByText("Rolled back: v1 is live again as v3.").waitFor();
    await screenshot(page, "versions-rollback");
    expect(await seriousViolations(page)).toEqual([]);
    const v3 = await server.api<{ yaml: string }>("GET", `/workflows/${id}/versions/3`, { token });
    expect(v3.body.yaml).toBe(V1);
    const draft = await server.api<{ yaml: string }>("GET", `/workflows/${id}`, { token });
    expect(draft.body.yaml).toBe(V1);

    // Back on the list: v3, nothing unpublished.
    await page.goto("/");
    await row.getByText("Published v3").waitFor();
    expect(await row.getByTestId("unpublished-changes").count()).toBe(0);
  }, 120_000);

  it("lists runs with filters and paging, and draws a run's path on its version's canvas", async () => {
    const { server } = suite;
    const { token, id, page } = await setUp("runs");
    const runIds: string[] = [];
    for (const message of ["Where is order 1001?", "Where is order 1002?", "Where is order 1003?"]) {
      const started = await server.api<{ id: string }>("POST", "/runs", {
        token,
        body: { workflowId: id, input: { message } },
      });
      expect(started.status).toBe(202);
      runIds.push(started.body.id);
    }
    for (const runId of runIds) {
      await expect
        .poll(
          async () => (await server.api<{ status: string }>("GET", `/runs/${runId}`, { token })).body.status,
        )
        .toBe("completed");
    }

    // Typed as a URL: /runs is also an API path, and a browser navigation gets the page, not JSON.
    await page.goto("/runs");
    await page.getByRole("heading", { name: "Runs", level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(3);
    await page.getByTestId("filter-status").selectOption("completed");
    await page.getByTestId("filter-workflow").selectOption("order_help");
    await page.getByTestId("filter-version").fill("1");
    await page.getByTestId("filter-apply").click();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(3);
    await page.getByTestId("filter-version").fill("2");
    await page.getByTestId("filter-apply").click();
    await page.getByTestId("runs-empty").waitFor();
    await page.getByTestId("filter-version").fill("");
    await page.getByTestId("filter-apply").click();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(3);
    // Each row says what the customer wrote, newest first, the whole text in its tooltip.
    expect(await page.getByTestId("run-preview").allTextContents()).toEqual([
      "Where is order 1003?",
      "Where is order 1002?",
      "Where is order 1001?",
    ]);
    expect(await page.getByTestId("run-preview").first().getAttribute("title")).toBe("Where is order 1003?");
    await screenshot(page, "runs-history");
    expect(await seriousViolations(page)).toEqual([]);

    // Ctrl-click on a row opens the run in a new tab and leaves the list where it is.
    const [tab] = await Promise.all([
      page.context().waitForEvent("page"),
      page
        .getByTestId("run-row")
        .nth(1)
        .getByTestId("run-status")
        .click({ modifiers: ["Control"] }),
    ]);
    await tab.waitForURL(`**/runs/${runIds[1]}`);
    await tab.close();
    expect(new URL(page.url()).pathname).toBe("/runs");

    // The keyboard's way in is the row's link: focused, Enter opens the run.
    await page.getByTestId("run-row").first().getByRole("link").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(`**/runs/${runIds[2]}`);
    await page.goBack();
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(3);

    // Open the oldest run by clicking its row anywhere (here its message): its path on v1's canvas, its messages
    // and events.
    await page.getByTestId("run-row").last().getByTestId("run-preview").click();
    await page.getByRole("heading", { name: "order_help v1" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/runs/${runIds[0]}`);
    for (const node of ["start", "remember", "old_note", "done"]) {
      await expect.poll(() => page.getByTestId(`node-${node}`).getAttribute("data-trace")).toBe("completed");
    }
    const messages = page.getByTestId("run-messages");
    await messages
      .locator(".fd-run__message--customer")
      .filter({ hasText: "Where is order 1001?" })
      .waitFor();
    await messages
      .locator(".fd-run__message--bot")
      .filter({ hasText: "Thanks, we got: Where is order 1001?" })
      .waitFor();
    await page.getByTestId("run-events").getByText("run.completed").waitFor();
    await screenshot(page, "run-trace");
    expect(await seriousViolations(page)).toEqual([]);

    // A reload of the run's address is a navigation too: the page again.
    await page.reload();
    await page.getByRole("heading", { name: "order_help v1" }).waitFor();
  }, 120_000);
});
