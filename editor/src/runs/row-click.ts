// What a click on a Runs list row (outside its link) does. The row's link stays the real way in: keyboard and
// screen-reader users reach it with Tab, and middle-click or "Open in new tab" on it are the browser's own. The
// rest of the row answers the mouse the same way, as a support lead expects of a list of conversations.

export type RowClickAction = "ignore" | "open" | "open-in-new-tab";

export interface RowClickFacts {
  /** MouseEvent.button: 0 main, 1 middle (an auxclick). */
  readonly button: number;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  /** The click landed on a link, button or field inside the row, which acts on its own. */
  readonly onControl: boolean;
  /** The click ended a text selection inside the row (copying an order number), not a request to open it. */
  readonly selectingText: boolean;
}

export function rowClickAction(facts: RowClickFacts): RowClickAction {
  if (facts.onControl || facts.selectingText || facts.altKey) return "ignore";
  if (facts.button === 1) return "open-in-new-tab";
  if (facts.button !== 0) return "ignore";
  // As on a link: Ctrl (Cmd on a Mac) or Shift opens the run beside the list instead of leaving it.
  return facts.ctrlKey || facts.metaKey || facts.shiftKey ? "open-in-new-tab" : "open";
}

/** What counts as a control of its own inside a row: a click there is left to it. */
export const ROW_CONTROLS = "a, button, input, select, textarea, summary, label, [role='button']";
