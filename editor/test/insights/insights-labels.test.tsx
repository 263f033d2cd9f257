// The Insights page's labels and queries without a browser: the day axis names the server's UTC days as they
// are (the last label is the last day, whatever the width), the test-run toggle asks for `testRuns=include`,
// and a draft row says it holds editor test runs.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { dayLabel, dayRange, labelledDays } from "../../src/insights/day-axis";
import { insightsQueries, type WorkflowOutcomes } from "../../src/insights/insights-api";
import { versionLabel, WorkflowOutcomesTable } from "../../src/insights/workflow-outcomes-table";

const monthOfDays = (count: number, last = "2026-12-07") =>
  Array.from({ length: count }, (_, k) =>
    new Date(Date.parse(`${last}T00:00:00Z`) - (count - 1 - k) * 86_400_000).toISOString().slice(0, 10),
  );

describe("the day axis", () => {
  it("labels a day from its text, in no time zone", () => {
    expect(dayLabel("2026-12-07")).toBe("Dec 7");
    expect(dayLabel("2027-01-01")).toBe("Jan 1");
    expect(dayLabel("not a day")).toBe("not a day");
    const zone = process.env.TZ;
    try {
      for (const tz of ["America/Los_Angeles", "Pacific/Kiritimati", "UTC"]) {
        process.env.TZ = tz;
        expect([tz, dayLabel("2026-12-07")]).toEqual([tz, "Dec 7"]);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("always labels the last day, stepping back from it", () => {
    for (const count of [1, 2, 7, 30, 90, 365]) {
      for (const room of [1, 3, 6, 8, 12, 40]) {
        const indexes = labelledDays(count, room);
        expect([count, room, indexes.at(-1)]).toEqual([count, room, count - 1]);
        expect(indexes.length).toBeLessThanOrEqual(Math.max(1, room));
        expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
      }
    }
    expect(labelledDays(7, 8)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // The reported case: 30 days in a half-width chart ended on Dec 6 under data for Dec 7.
    const days = monthOfDays(30);
    expect(labelledDays(30, 7).map((index) => dayLabel(days[index]!))).toEqual([
      "Nov 9",
      "Nov 16",
      "Nov 23",
      "Nov 30",
      "Dec 7",
    ]);
    expect(labelledDays(0, 5)).toEqual([]);
  });

  it("names the range for screen readers", () => {
    expect(dayRange(monthOfDays(7))).toBe("Dec 1 to Dec 7");
    expect(dayRange(["2026-12-07"])).toBe("Dec 7");
    expect(dayRange([])).toBe("no days");
  });
});

describe("the test-run toggle", () => {
  it("asks for test runs only when it is on, on the leads route too", () => {
    const off = insightsQueries({ days: 30, workflow: "faq", version: 2 });
    expect(off.runs.toString()).toBe("days=30&workflow=faq&version=2");
    expect(off.workflows.toString()).toBe("days=30");
    const on = insightsQueries({ days: 7, workflow: "faq", includeTests: true });
    expect(on.runs.toString()).toBe("days=7&testRuns=include&workflow=faq");
    expect(on.workflows.toString()).toBe("days=7&testRuns=include");
    expect(on.leads.toString()).toBe("days=7&testRuns=include");
    expect(off.leads.toString()).toBe("days=30");
  });
});

describe("the per-workflow table", () => {
  const row = (workflow: string, version: number | null): WorkflowOutcomes => ({
    workflow,
    version,
    runs: 2,
    concluded: 2,
    resolved: 2,
    unresolved: 0,
    escalated: 0,
    handoff: 0,
    failed: 0,
    resolutionRate: 1,
    handoffRate: 0,
    failureRate: 0,
  });

  it("says a draft row holds editor test runs, and shows names as they are", () => {
    expect(versionLabel(3)).toBe("v3");
    expect(versionLabel(null)).toBe("Draft (editor test runs)");
    const html = renderToStaticMarkup(
      <WorkflowOutcomesTable items={[row("order_status", 1), row("order_status", null)]} includesTests />,
    );
    expect(html).toContain('<th scope="row">order_status</th><td>v1</td>');
    expect(html).toContain("<td>Draft (editor test runs)</td>");
    expect(html).not.toMatch(/>draft</);
  });

  it("explains an empty table by what it counts", () => {
    const live = renderToStaticMarkup(<WorkflowOutcomesTable items={[]} includesTests={false} />);
    expect(live).toContain("No live runs in this period yet.");
    expect(renderToStaticMarkup(<WorkflowOutcomesTable items={[]} includesTests />)).toContain(
      "No runs in this period yet.",
    );
  });
});
