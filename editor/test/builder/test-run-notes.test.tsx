// A step's notes (`details.notes`: a reply whose text was blank, so nothing was sent) are shown beside the step,
// in a draft's test run and on a past run's page, in the same words.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { RunStep } from "../../src/api/runs-types";
import { TestRunSteps } from "../../src/builder/test-run/test-run-steps";
import { foldStepEvent, stepNotes } from "../../src/builder/test-run/test-run-trace";
import { stepFacts } from "../../src/runs/step-facts";

const BLANK = "The reply's text was blank, so nothing was sent.";
const details = { notes: [{ code: "FD215", message: BLANK, hint: "Check what its template reads." }] };
const at = "2026-12-01T10:00:00.000Z";

describe("step notes", () => {
  it("reads the messages of details.notes and nothing else", () => {
    expect(stepNotes(details)).toEqual([BLANK]);
    expect(stepNotes({ notes: [{ code: "FD215" }, "text", null, { message: "" }] })).toEqual([]);
    expect(stepNotes({ tier: "llm" })).toEqual([]);
    expect(stepNotes(undefined)).toEqual([]);
  });

  it("shows a note beside the step in the test-run panel", () => {
    let steps = foldStepEvent([], "step.started", { stepId: "s1", node: "empty", type: "reply" }, at);
    steps = foldStepEvent(steps, "step.completed", { stepId: "s1", details }, at);
    const html = renderToStaticMarkup(<TestRunSteps steps={steps} />);
    expect(html).toContain('data-fact="note"');
    expect(html).toContain("The reply&#x27;s text was blank, so nothing was sent.");
    expect(html).not.toContain("FD215");
  });

  it("lists the note among a stored step's facts on the run page", () => {
    const step: RunStep = {
      stepId: "main/empty#1",
      nodeName: "empty",
      nodeType: "reply",
      attempt: 1,
      status: "completed",
      output: { text: "", quick_replies: [] },
      details,
      startedAt: at,
      finishedAt: at,
    };
    expect(stepFacts(step)).toEqual([{ name: "note", value: BLANK }]);
  });
});
