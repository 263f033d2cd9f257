// Where things are on the builder's canvas, for the browser tests that measure it.
import type { Locator } from "playwright-core";
import { expect } from "vitest";

/** The locator's box on screen; a test that measures something off screen fails here, naming it. */
export async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`not on screen: ${locator.toString()}`);
  return found;
}

/** Waits until a card stops moving (the opening fit runs once the cards are measured). */
export async function settled(probe: Locator): Promise<void> {
  let last = "";
  await expect
    .poll(
      async () => {
        const now = JSON.stringify(await box(probe));
        const same = now === last;
        last = now;
        return same;
      },
      { interval: 300, timeout: 10_000 },
    )
    .toBe(true);
}
