// Issue 19 item 4 in a real browser: the Team page lists members; the owner changes a member's role with its
// select, removes a member after confirming, and cannot leave as the last owner (the server's FD356 is shown).
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

interface Answer {
  readonly accessToken: string;
  readonly tenant: { readonly id: string };
  readonly user: { readonly id: string };
  readonly token: string;
  readonly items: ReadonlyArray<{ readonly email: string; readonly role: string }>;
}

describeBrowser("the team page in Chromium", () => {
  const suite = useBrowserSuite();

  it("changes a role, removes a member after confirming, and keeps the last owner", async () => {
    const account = newAccount("team");
    const owner = await suite.server.api<Answer>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const token = owner.body.accessToken;
    const members: string[] = [];
    for (const [label, role] of [
      ["editor", "editor"],
      ["viewer", "viewer"],
    ] as const) {
      const email = `${label}-${Date.now()}@example.com`;
      const invited = await suite.server.api<Answer>("POST", "/invitations", {
        token,
        body: { email, role },
      });
      const accepted = await suite.server.api<Answer>("POST", "/invitations/accept", {
        body: { token: invited.body.token, password: "a fine new password" },
      });
      expect(accepted.status).toBe(200);
      members.push(email);
    }
    const [editorEmail, viewerEmail] = members as [string, string];
    const roles = async () =>
      Object.fromEntries(
        (await suite.server.api<Answer>("GET", "/members", { token })).body.items.map((m) => [
          m.email,
          m.role,
        ]),
      );

    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.getByRole("link", { name: "Team" }).click();
    await page.getByRole("heading", { name: "Members", level: 2 }).waitFor();
    await page.getByRole("cell", { name: viewerEmail, exact: true }).waitFor();
    await screenshot(page, "team-members");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel(`Role of ${editorEmail}`).selectOption("viewer");
    await page.getByText(`${editorEmail} is now viewer.`).waitFor();
    expect((await roles())[editorEmail]).toBe("viewer");

    await page.getByRole("button", { name: `Remove ${viewerEmail}` }).click();
    const dialog = page.getByRole("dialog", { name: "Remove this member?" });
    await dialog.getByText(`${viewerEmail} loses access at once`).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await roles()).toHaveProperty(viewerEmail);
    await page.getByRole("button", { name: `Remove ${viewerEmail}` }).click();
    await page
      .getByRole("dialog", { name: "Remove this member?" })
      .getByRole("button", { name: "Remove" })
      .click();
    await page.getByText(`${viewerEmail} was removed from the workspace.`).waitFor();
    await expect.poll(async () => page.getByRole("cell", { name: viewerEmail, exact: true }).count()).toBe(0);
    expect(await roles()).not.toHaveProperty(viewerEmail);

    // The only owner may not leave: the server refuses and the page says why.
    await page.getByRole("button", { name: `Leave ${account.email}` }).click();
    await page
      .getByRole("dialog", { name: "Leave this workspace?" })
      .getByRole("button", { name: "Leave" })
      .click();
    await page.getByRole("alert").filter({ hasText: "last owner" }).waitFor();
    expect((await roles())[account.email]).toBe("owner");
    await screenshot(page, "team-last-owner");
  });
});
