// A Runs list row: what a click outside its link does, and the message preview it shows (one line, the whole
// preview in the tooltip, a link kept for the keyboard, screen readers and "Open in new tab").
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Router } from "wouter";
import type { RunSummary } from "../../src/api/runs-types";
import { rowClickAction, type RowClickFacts } from "../../src/runs/row-click";
import { RunRow } from "../../src/runs/run-row";

const click = (over: Partial<RowClickFacts> = {}): RowClickFacts => ({
  button: 0,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  onControl: false,
  selectingText: false,
  ...over,
});

describe("rowClickAction", () => {
  it("opens the run on a plain click anywhere on the row", () => {
    expect(rowClickAction(click())).toBe("open");
  });

  it("opens it beside the list on a middle click, Ctrl/Cmd-click or Shift-click, as a link would", () => {
    expect(rowClickAction(click({ button: 1 }))).toBe("open-in-new-tab");
    expect(rowClickAction(click({ ctrlKey: true }))).toBe("open-in-new-tab");
    expect(rowClickAction(click({ metaKey: true }))).toBe("open-in-new-tab");
    expect(rowClickAction(click({ shiftKey: true }))).toBe("open-in-new-tab");
  });

  it("leaves the link's own clicks to it, and a text selection or other buttons alone", () => {
    expect(rowClickAction(click({ onControl: true }))).toBe("ignore");
    expect(rowClickAction(click({ onControl: true, button: 1 }))).toBe("ignore");
    expect(rowClickAction(click({ selectingText: true }))).toBe("ignore");
    expect(rowClickAction(click({ button: 2 }))).toBe("ignore");
    expect(rowClickAction(click({ altKey: true }))).toBe("ignore");
  });
});

const run = (over: Partial<RunSummary> = {}): RunSummary => ({
  id: "5b1e0c44-0000-4000-8000-000000000001",
  workflowName: "order_desk",
  workflowVersion: 3,
  status: "completed",
  conversationId: "c1",
  channel: "api",
  channelName: null,
  mode: "live",
  costUsd: 0.0012,
  savedUsd: 0,
  preview: "Where is order 1001? It was due on Monday",
  error: null,
  createdAt: "2026-12-01T10:00:00.000Z",
  updatedAt: "2026-12-01T10:00:01.000Z",
  ...over,
});

function rowMarkup(summary: RunSummary): string {
  return renderToStaticMarkup(
    <Router ssrPath="/runs">
      <table>
        <tbody>
          <RunRow run={summary} />
        </tbody>
      </table>
    </Router>,
  );
}

describe("RunRow", () => {
  it("shows the preview with the same text in its tooltip, beside one real link to the run", () => {
    const html = rowMarkup(run());
    expect(html).toContain(
      '<td class="fd-runs__preview" title="Where is order 1001? It was due on Monday" data-testid="run-preview">Where is order 1001? It was due on Monday</td>',
    );
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain('href="/runs/5b1e0c44-0000-4000-8000-000000000001"');
    expect(html).not.toContain("<button");
  });

  it("says there was no message when the run kept none (or the server is older)", () => {
    for (const preview of [null, undefined]) {
      const html = rowMarkup(run({ preview }));
      expect(html).toContain('data-testid="run-preview">No message</td>');
      expect(html).not.toMatch(/fd-runs__preview" title=/);
    }
  });

  it("escapes what the customer wrote instead of reading it as markup", () => {
    const html = rowMarkup(run({ preview: '<img src=x onerror="alert(1)">' }));
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });
});
