// Tab order on the canvas: every node before any edge. React Flow draws edges before nodes in the page, so the
// browser's own order would visit all connections first — the wrong way round for someone building a flow by
// keyboard (issue 18: "Tab reaches nodes before edges").
import type { FocusEvent, KeyboardEvent } from "react";

const NODES = ".react-flow__node[tabindex]";
const EDGES = ".react-flow__edge[tabindex]";

function order(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(NODES), ...root.querySelectorAll<HTMLElement>(EDGES)];
}

/** onKeyDown of the canvas: Tab and Shift+Tab walk nodes, then edges; at either end, on out of the canvas. */
export function onCanvasTab(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
  const items = order(event.currentTarget);
  const index = items.indexOf(document.activeElement as HTMLElement);
  if (index < 0) return;
  const next = items[index + (event.shiftKey ? -1 : 1)];
  if (next) {
    event.preventDefault();
    next.focus();
    return;
  }
  // Leaving: stand where the browser's own order leaves the group (after the last node going forward, before
  // the first edge going back) and let its Tab go on from there.
  const nodes = event.currentTarget.querySelectorAll<HTMLElement>(NODES);
  const edges = event.currentTarget.querySelectorAll<HTMLElement>(EDGES);
  const exit = event.shiftKey ? (edges[0] ?? nodes[0]) : (nodes[nodes.length - 1] ?? edges[edges.length - 1]);
  exit?.focus();
}

/** onFocus of the canvas: Tab from before it lands on the first node, Shift+Tab from after it on the last edge. */
export function onCanvasFocus(event: FocusEvent<HTMLElement>): void {
  const root = event.currentTarget;
  const from = event.relatedTarget as Node | null;
  if (!from || root.contains(from)) return;
  const target = event.target as HTMLElement;
  if (!target.matches(`${NODES}, ${EDGES}`)) return;
  const cameFromAfter = Boolean(root.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING);
  const items = order(root);
  const wanted = cameFromAfter ? items[items.length - 1] : items[0];
  if (wanted && wanted !== target) wanted.focus();
}
