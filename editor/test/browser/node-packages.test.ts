// Issue 19 item 1 in a real browser: a node package the server loaded (the weather example) is in the builder's
// palette next to the built-ins, its form comes from its schema, and a flow using it validates as you type with
// the check the server generated for its catalog — no FD114 "unknown node type".
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { weatherNodeTypes } from "./support/node-packages";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const FLOW = `name: delivery_weather
nodes:
  - { name: start, type: start }
  - name: weather
    type: acme.weather
    type_version: 2
    config: { location: "{{ input.message }}", days: 2 }
  - name: done
    type: end
    config: { reply: "{{ nodes.weather.output.conditions }}", outcome: resolved }
edges:
  - { from: start, to: weather }
  - { from: weather, to: done }
`;

describeBrowser("node packages in the builder", () => {
  const suite = useBrowserSuite({ nodeTypes: weatherNodeTypes });

  it("shows the package's node in the palette and validates a flow that uses it", async () => {
    const account = newAccount("packages");
    const registered = await suite.server.api<{ accessToken: string }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    const created = await suite.server.api<{ id: string; problems: unknown[] }>("POST", "/workflows", {
      token: registered.body.accessToken,
      body: { yaml: FLOW },
    });
    expect(created.status).toBe(201);

    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.goto(`/flows/${created.body.id}`);
    const item = page.getByTestId("palette-item-acme.weather");
    await item.waitFor();
    expect(await item.textContent()).toContain("Weather");

    // The node's card and its schema-generated form.
    // Validated with the server-generated check: no unknown type, and a bad value is caught as you type.
    await page.getByTestId("problem-counts").filter({ hasText: "0 errors" }).waitFor();
    await page.getByTestId("node-weather").click();
    await page.getByLabel("Location").waitFor();
    await page.getByLabel("Days").fill("9");
    await page.getByTestId("problem-counts").filter({ hasText: "1 error" }).waitFor();
    await screenshot(page, "node-package-in-builder");
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);
});
