// A zoomed-out card's name (zoomed-out-names.ts): read at 11 px on screen while its line fits the plain box,
// shrinking to 10 px with the box further out, then left out rather than drawn over the box's edges. Above the
// plain boxes, a full card's name reads at 11 px too (it was 5.6 to 9.8 px between 40 % and 70 %).
import { describe, expect, it } from "vitest";
import { DETAIL_MIN_ZOOM } from "../../src/builder/node-card";
import { CARD_HEIGHT_PX } from "../../src/builder/canvas-elements";
import {
  CARD_HEAD_NAME_MAX_PX,
  CARD_NAME_PX,
  cardName,
  cardTitle,
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

describe("a full card's name between the plain boxes and its own size", () => {
  // builder.css: a card's 4 px category band, 1 px bottom border and 0.4rem (6.4 px) top padding.
  const compactRoomPx = CARD_HEIGHT_PX - 4 - 1 - 6.4;

  it("reads at 11 px on screen or more at every zoom from the detail zoom up, and never under 14 px on the card", () => {
    const wrong: string[] = [];
    for (let zoom = DETAIL_MIN_ZOOM; zoom <= 2; zoom += 0.001) {
      const name = cardName(zoom);
      const at = `${(zoom * 100).toFixed(1)} %`;
      if (name.screenPx < ZOOMED_OUT_NAME_PX - 1e-9) wrong.push(`${at}: ${name.screenPx} px on screen`);
      if (name.fontPx < CARD_NAME_PX) wrong.push(`${at}: ${name.fontPx} px on the card`);
      // Compact exactly when the name outgrows its head row, and then its line still fits inside the card.
      if (name.compact !== name.fontPx > CARD_HEAD_NAME_MAX_PX + 1e-9) wrong.push(`${at}: compact is wrong`);
      if (name.fontPx * ZOOMED_OUT_NAME_LINE > compactRoomPx) wrong.push(`${at}: taller than the card`);
    }
    expect(wrong).toEqual([]);
  });

  it("keeps the card's own 14 px where that already reads at 11 px, so zooming there changes nothing", () => {
    for (const zoom of [0.8, 1, 1.5, 2]) expect(cardName(zoom)).toMatchObject({ fontPx: 14, compact: false });
    // The 1,366 × 768 fit of the support flow (41 %) and the opening zoom (70 %).
    expect(cardName(0.41)).toMatchObject({ compact: true });
    expect(cardName(0.41).screenPx).toBeCloseTo(ZOOMED_OUT_NAME_PX, 6);
    expect(cardName(0.7)).toMatchObject({ compact: false });
    expect(cardName(0.7).screenPx).toBeCloseTo(ZOOMED_OUT_NAME_PX, 6);
  });
});

describe("a full card's tooltip", () => {
  const end = {
    name: "reply",
    title: "End",
    type: "end",
    knownType: true,
    description: "",
    firstProblem: undefined,
  };

  it("starts like a plain box's and adds the summary, description and first problem, a line each", () => {
    expect(cardTitle(end)).toBe("reply (End)");
    expect(
      cardTitle(
        {
          ...end,
          summary: "“Hi!”",
          description: "Greets the customer",
          firstProblem: "FD113: something is off",
        },
        "changed",
      ),
    ).toBe("changed: reply (End)\n“Hi!”\nGreets the customer\nFD113: something is off");
  });
});
