// A zoomed-out card's name (zoomed-out-names.ts): read at 11 px on screen while its line fits the plain box,
// shrinking to 10 px with the box further out, then left out rather than drawn over the box's edges.
import { describe, expect, it } from "vitest";
import { DETAIL_MIN_ZOOM } from "../../src/builder/node-card";
import {
  PLAIN_BOX_ROOM_PX,
  plainBoxTitle,
  ZOOMED_OUT_NAME_LINE,
  ZOOMED_OUT_NAME_MIN_PX,
  ZOOMED_OUT_NAME_PX,
  zoomedOutName,
} from "../../src/builder/zoomed-out-names";

describe("the name on a plain box", () => {
  it("reads at 11 px on screen at the zooms a fitted flow lands on below the detail zoom", () => {
    for (const zoom of [0.39, 0.366, 0.3, 0.273]) {
      const name = zoomedOutName(zoom);
      expect(name.shown).toBe(true);
      expect(name.screenPx).toBeCloseTo(ZOOMED_OUT_NAME_PX, 6);
      expect(name.fontPx).toBeCloseTo(ZOOMED_OUT_NAME_PX / zoom, 6);
    }
  });

  it("shrinks with the box once an 11 px line no longer fits it, and is left out under 10 px", () => {
    const tight = zoomedOutName(0.25);
    expect(tight.shown).toBe(true);
    expect(tight.screenPx).toBeLessThan(ZOOMED_OUT_NAME_PX);
    expect(tight.screenPx).toBeGreaterThanOrEqual(ZOOMED_OUT_NAME_MIN_PX);
    expect(tight.fontPx * ZOOMED_OUT_NAME_LINE).toBeCloseTo(PLAIN_BOX_ROOM_PX, 6);
    expect(zoomedOutName(0.2).shown).toBe(false);
    expect(zoomedOutName(0.05).shown).toBe(false);
  });

  it("never draws a line taller than the box, nor a shown name under 10 px, at any zoom below the detail zoom", () => {
    const wrong: string[] = [];
    let previous = zoomedOutName(0.01);
    for (let zoom = 0.01; zoom < DETAIL_MIN_ZOOM; zoom += 0.001) {
      const name = zoomedOutName(zoom);
      const at = `${(zoom * 100).toFixed(1)} %`;
      if (name.fontPx * ZOOMED_OUT_NAME_LINE > PLAIN_BOX_ROOM_PX + 1e-9)
        wrong.push(`${at}: taller than the box`);
      const readable =
        name.screenPx >= ZOOMED_OUT_NAME_MIN_PX - 1e-9 && name.screenPx <= ZOOMED_OUT_NAME_PX + 1e-9;
      if (name.shown && !readable) wrong.push(`${at}: shown at ${name.screenPx} px`);
      // Zooming in never makes the name smaller on screen or hides a shown one.
      if (name.screenPx < previous.screenPx - 1e-9) wrong.push(`${at}: smaller than further out`);
      if (previous.shown && !name.shown) wrong.push(`${at}: hidden though shown further out`);
      previous = name;
    }
    expect(wrong).toEqual([]);
  });

  it("fits a smaller box too, and survives a zero zoom", () => {
    expect(zoomedOutName(0.3, 24).fontPx * ZOOMED_OUT_NAME_LINE).toBeCloseTo(24, 6);
    expect(zoomedOutName(0).shown).toBe(false);
  });
});

describe("a plain box's tooltip", () => {
  const router = { name: "classify_intent", title: "Router", type: "router", knownType: true };

  it("has the whole name and the type, which the box has no room for", () => {
    expect(plainBoxTitle(router)).toBe("classify_intent (Router)");
  });

  it("puts a diff's mark first in words", () => {
    expect(plainBoxTitle(router, "changed")).toBe("changed: classify_intent (Router)");
  });

  it("says when the type is unknown", () => {
    expect(plainBoxTitle({ name: "x", title: "Unknown type", type: "acme.thing", knownType: false })).toBe(
      'x (unknown type "acme.thing")',
    );
  });
});
