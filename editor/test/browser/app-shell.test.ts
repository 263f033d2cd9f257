// The editor's frame in a real browser against a real server: sign up, sign in and out, the workflow list,
// a viewer's read-only view (and the server refusing the viewer too), tenant switching, accessibility.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { createWorkflowThroughUi, newAccount, signInThroughUi, signUpThroughUi } from "./support/ui-flows";

interface TokenAnswer {
  accessToken: string;
  refreshToken: string;
  tenant: { id: string; role: string };
}

describeBrowser("editor shell in Chromium", () => {
  const suite = useBrowserSuite();

  it("signs up into an empty workflow list; the sign-in and list screens pass axe", async () => {
    const page = await suite.newPage();
    await page.goto("/");
    // Signed out: the app sends you to sign in.
    await page.waitForURL(/\/sign-in$/);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(page, "sign-in");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "Create a workspace" }).click();
    await page.getByRole("heading", { name: "Create your workspace" }).waitFor();
    await screenshot(page, "sign-up");
    expect(await seriousViolations(page)).toEqual([]);

    const account = newAccount();
    await signUpThroughUi(page, account);
    expect(new URL(page.url()).pathname).toBe("/");
    await page.getByRole("heading", { name: "No workflows yet" }).waitFor();
    expect(await page.getByTestId("workflow-row").count()).toBe(0);
    await page.getByTestId("tenant-switcher").filter({ hasText: account.tenantName }).waitFor();
    await screenshot(page, "workflow-list-empty");
    expect(await seriousViolations(page)).toEqual([]);

    // The handoff inbox is one click away and reads the tenant's waiting conversations (none yet).
    await page.getByRole("link", { name: "Handoffs" }).click();
    await page.getByRole("heading", { name: "Waiting for a human (0)" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/handoffs");
    await screenshot(page, "handoffs-empty");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("creates, renames, exports, imports and deletes workflows; signs out and back in", async () => {
    const page = await suite.newPage();
    const account = newAccount();
    await signUpThroughUi(page, account);

    const id = await createWorkflowThroughUi(page, "Order status");
    const created = await page.evaluate(
      async (workflowId) => (await fetch(`/workflows/${workflowId}`)).status,
      id,
    );
    // Same origin, no token: the API answers 401, so the page above is the SPA and not the API.
    expect(created).toBe(401);
    await screenshot(page, "builder");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "Workflows" }).click();
    await page.getByRole("link", { name: "order_status" }).waitFor();

    await page.getByRole("button", { name: "Rename order_status" }).click();
    const rename = page.getByRole("dialog", { name: "Rename workflow" });
    await rename.getByLabel("Name").fill("order_tracking");
    await rename.getByRole("button", { name: "Rename" }).click();
    await page.getByRole("link", { name: "order_tracking" }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export order_tracking as YAML" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("order_tracking.yaml");
    const exported = readFileSync((await download.path()) ?? "", "utf8");
    expect(exported).toMatch(/^name: order_tracking$/m);

    await page.getByTestId("import-file").setInputFiles({
      name: "refunds.yaml",
      mimeType: "application/yaml",
      buffer: Buffer.from(exported.replace("name: order_tracking", "# imported\nname: refunds")),
    });
    await page.getByRole("link", { name: "refunds" }).waitFor();
    expect(await page.getByTestId("workflow-row").count()).toBe(2);
    await screenshot(page, "workflow-list");

    await page.getByRole("button", { name: "Delete refunds" }).click();
    await page
      .getByRole("dialog", { name: "Delete refunds?" })
      .getByRole("button", { name: "Delete workflow" })
      .click();
    await page.getByRole("link", { name: "refunds" }).waitFor({ state: "detached" });
    expect(await page.getByTestId("workflow-row").count()).toBe(1);

    await page.getByTestId("sign-out").click();
    await page.waitForURL(/\/sign-in$/);
    // Signed out for real: a reload does not bring the session back.
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    await signInThroughUi(page, account.email, account.password);
    await page.getByRole("link", { name: "order_tracking" }).waitFor();
    // A reload keeps the session (refresh token), the access token is re-issued.
    await page.reload();
    await page.getByRole("link", { name: "order_tracking" }).waitFor();

    // A deep link while signed out goes through sign-in and comes back to the workflow.
    await page.getByTestId("sign-out").click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto(`/flows/${id}`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(new RegExp(`/flows/${id}$`));
  });

  it("shows a viewer everything read-only, and the server refuses the viewer's writes", async () => {
    const { server } = suite;
    const owner = newAccount();
    const registered = await server.api<TokenAnswer>("POST", "/auth/register", {
      body: { tenantName: owner.tenantName, email: owner.email, password: owner.password },
    });
    expect(registered.status).toBe(201);
    const ownerToken = registered.body.accessToken;
    const yaml =
      "name: faq\nnodes:\n  - name: start\n    type: start\n  - name: done\n    type: end\n    config: { reply: Hi }\nedges:\n  - { from: start, to: done }\n";
    const workflow = await server.api<{ id: string }>("POST", "/workflows", {
      token: ownerToken,
      body: { yaml },
    });
    expect(workflow.status).toBe(201);

    const viewer = newAccount("viewer");
    const invitation = await server.api<{ token: string }>("POST", "/invitations", {
      token: ownerToken,
      body: { email: viewer.email, role: "viewer" },
    });
    expect(invitation.status).toBe(201);
    const accepted = await server.api<TokenAnswer>("POST", "/invitations/accept", {
      body: { token: invitation.body.token, password: viewer.password },
    });
    expect(accepted.body.tenant.role).toBe("viewer");

    const page = await suite.newPage();
    await signInThroughUi(page, viewer.email, viewer.password);
    await page.getByRole("link", { name: "faq" }).waitFor();
    await page.getByRole("note").filter({ hasText: "view access" }).waitFor();
    for (const control of ["New workflow", "Import YAML", "Rename faq", "Delete faq"]) {
      expect({ control, count: await page.getByRole("button", { name: control }).count() }).toEqual({
        control,
        count: 0,
      });
    }
    await screenshot(page, "workflow-list-viewer");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "View faq" }).click();
    await page.waitForURL(new RegExp(`/flows/${workflow.body.id}$`));
    await page.getByTestId("read-only-badge").waitFor();
    await screenshot(page, "builder-viewer");

    // The UI hides the controls; the server refuses anyway.
    const draft = await server.api("PUT", `/workflows/${workflow.body.id}/draft`, {
      token: accepted.body.accessToken,
      headers: { "if-match": "*" },
      body: { yaml: yaml.replace("Hi", "Changed") },
    });
    expect(draft.status).toBe(403);
    const removed = await server.api("DELETE", `/workflows/${workflow.body.id}`, {
      token: accepted.body.accessToken,
    });
    expect(removed.status).toBe(403);
    const after = await server.api<{ yaml: string }>("GET", `/workflows/${workflow.body.id}`, {
      token: ownerToken,
    });
    expect(after.body.yaml).toBe(yaml);
  });

  it("switches between the tenants of a person in several", async () => {
    const { server } = suite;
    const agency = newAccount("agency");
    const agencyAnswer = await server.api<TokenAnswer>("POST", "/auth/register", {
      body: { tenantName: agency.tenantName, email: agency.email, password: agency.password },
    });
    await server.api("POST", "/workflows", {
      token: agencyAnswer.body.accessToken,
      body: { yaml: "name: agency_flow\nnodes:\n  - { name: start, type: start }\n" },
    });

    const page = await suite.newPage();
    const person = newAccount("consultant");
    await signUpThroughUi(page, person);
    const invitation = await server.api<{ token: string }>("POST", "/invitations", {
      token: agencyAnswer.body.accessToken,
      body: { email: person.email, role: "editor" },
    });
    await server.api("POST", "/invitations/accept", {
      body: { token: invitation.body.token, password: person.password },
    });

    await page.reload();
    const switcher = page.getByTestId("tenant-switcher");
    // It becomes a menu button once the tenant list has loaded and has more than one entry.
    await page.locator('[data-testid="tenant-switcher"][aria-haspopup="menu"]').waitFor();
    await switcher.click();
    await page.getByRole("menuitemradio", { name: new RegExp(agency.tenantName) }).click();
    await page.getByRole("link", { name: "agency_flow" }).waitFor();
    expect(await switcher.textContent()).toContain(agency.tenantName);
    expect(await switcher.textContent()).toContain("Editor");
    await screenshot(page, "tenant-switched");

    // And back, by keyboard.
    await switcher.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "No workflows yet" }).waitFor();
    expect(await switcher.textContent()).toContain(person.tenantName);
  });

  it("invites a teammate from the Team page; the link signs them up into the workspace", async () => {
    const owner = await suite.newPage();
    const account = newAccount();
    await signUpThroughUi(owner, account);
    await owner.getByRole("link", { name: "Team" }).click();
    await owner.getByRole("heading", { name: "Team", level: 1 }).waitFor();
    const email = `teammate-${Date.now()}@example.com`;
    await owner.getByLabel("Email").fill(email);
    await owner.getByLabel("Role", { exact: true }).selectOption("viewer");
    await owner.getByRole("button", { name: "Create invitation" }).click();
    const link = await owner.getByLabel("Invitation link").inputValue();
    expect(link).toMatch(/\/accept-invitation\?token=fdi\./);
    await owner.getByRole("cell", { name: email, exact: true }).waitFor();
    await screenshot(owner, "team");
    expect(await seriousViolations(owner)).toEqual([]);

    const teammate = await suite.newPage();
    await teammate.goto(link);
    await teammate.getByRole("heading", { name: "Join the workspace" }).waitFor();
    await teammate.getByLabel("Password").fill("a brand new password");
    await teammate.getByRole("button", { name: "Join workspace" }).click();
    await teammate.getByRole("heading", { name: "Workflows", level: 1 }).waitFor();
    // The switcher names the workspace once the tenant list has loaded.
    await teammate.getByTestId("tenant-switcher").filter({ hasText: account.tenantName }).waitFor();
    expect(await teammate.getByTestId("tenant-switcher").textContent()).toContain("Viewer");
    // Viewers see no Team page in the navigation.
    expect(await teammate.getByRole("link", { name: "Team" }).count()).toBe(0);
  });

  it("works by keyboard: skip link, every list action reachable, dialogs trap and return focus", async () => {
    const page = await suite.newPage();
    await signUpThroughUi(page, newAccount());
    await createWorkflowThroughUi(page, "Keyboard flow");
    await page.goto("/");
    await page.getByRole("link", { name: "keyboard_flow" }).waitFor();

    const focusedName = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return (el?.getAttribute("aria-label") ?? el?.textContent ?? "").trim().replace(/\s+/g, " ");
      });
    await page.keyboard.press("Tab");
    expect(await focusedName()).toBe("Skip to content");
    const reached: string[] = [];
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press("Tab");
      reached.push(await focusedName());
    }
    const wanted = ["Import YAML", "New workflow", "keyboard_flow", "Edit keyboard_flow", "Sign out"];
    expect({
      missing: wanted.filter((name) => !reached.some((r) => r.includes(name))),
      reached,
    }).toMatchObject({
      missing: [],
    });

    // Rename by keyboard: Enter opens the dialog with focus inside; Escape closes it and focus comes back.
    await page.getByRole("button", { name: "Rename keyboard_flow" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Rename workflow" });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focusedName()).toBe("Rename keyboard_flow");
  });
});
