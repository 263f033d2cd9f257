// Issue 18 item 7 in Chromium: Tab walks every node of the canvas before any edge (React Flow draws edges
// first in the page, and the browser's own order would leave the canvas after the last node), and Shift+Tab
// walks back.
import { expect, it } from "vitest";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const FLOW = `name: tab_order
nodes:
  - { name: start, type: start }
  - { name: greet, type: reply, config: { text: "Hi" } }
  - { name: done, type: end }
edges:
  - { from: start, to: greet }
  - { from: greet, to: done }
`;

describeBrowser("canvas tab order", () => {
  const suite = useBrowserSuite();

  it("visits nodes before edges, both ways", async () => {
    const account = newAccount("taborder");
    const { body } = await suite.server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const created = await suite.server.api<{ id: string }>("POST", "/workflows", {
      token: body.accessToken,
      body: { yaml: FLOW },
    });
    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.goto(`/flows/${created.body.id}`);
    await page.getByTestId("node-done").waitFor();
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (el?.classList.contains("react-flow__node")) return `node:${el.dataset.id}`;
        if (el?.classList.contains("react-flow__edge")) return "edge";
        return "other";
      });

    await page.locator(".react-flow__edge[tabindex]").first().waitFor({ state: "attached" });
    await page.locator(".react-flow__node[tabindex]").first().focus();
    const walk: string[] = [await focused()];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      walk.push(await focused());
    }
    expect(walk.slice(0, 3).every((stop) => stop.startsWith("node:"))).toBe(true);
    expect(new Set(walk.slice(0, 3)).size).toBe(3);
    expect(walk.slice(3)).toEqual(["edge", "edge"]);
    // And back: from the first edge, Shift+Tab returns to the last node.
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    expect(await focused()).toBe(walk[2]);
  }, 60_000);
});
