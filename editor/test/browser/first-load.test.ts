// What a browser downloads to show the editor's first screen (issue 21: ≤ 120 kB of compressed JavaScript): the
// sign-in page, measured in Chromium from the bytes each script response put on the wire.
import { expect, it } from "vitest";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";

const FIRST_LOAD_JS_LIMIT_BYTES = 120 * 1024;

describeBrowser("the editor's first load", () => {
  const suite = useBrowserSuite();

  it("transfers at most 120 kB of compressed JavaScript, every script brotli-encoded", async () => {
    const page = await suite.newPage();
    const scripts: Array<{ url: string; encoding: string | undefined; bodyBytes: Promise<number> }> = [];
    page.on("response", (response) => {
      if (response.request().resourceType() !== "script") return;
      scripts.push({
        url: response.url(),
        encoding: response.headers()["content-encoding"],
        // The encoded body, as it crossed the network (not what it decompresses to).
        bodyBytes: response
          .request()
          .sizes()
          .then((sizes) => sizes.responseBodySize),
      });
    });
    await page.goto("/sign-in", { waitUntil: "networkidle" });
    await expect.poll(() => page.getByRole("button", { name: /sign in/i }).count()).toBeGreaterThan(0);
    const sizes = await Promise.all(scripts.map((script) => script.bodyBytes));
    const total = sizes.reduce((sum, size) => sum + size, 0);
    console.info(
      `first load: ${scripts.length} scripts, ${(total / 1024).toFixed(1)} kB on the wire ` +
        `(${scripts.map((s, i) => `${s.url.split("/").pop()} ${(sizes[i]! / 1024).toFixed(1)} kB ${s.encoding ?? "identity"}`).join(", ")})`,
    );
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.map((script) => script.encoding)).toEqual(scripts.map(() => "br"));
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_JS_LIMIT_BYTES);
  });
});
