// The new-workflow dialog's Name hint said "Letters, digits and spaces." and a title such as "123 !!!" was then
// refused with "Give the workflow a name." although one was typed. The hint now says what a valid name is before
// anything is typed, and the refusal says what is missing.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NewWorkflowDialog } from "../../src/workflows/workflow-dialogs";
import { TITLE_RULE, titleProblem } from "../../src/workflows/workflow-yaml";

describe("the new-workflow dialog's name rule", () => {
  it("says up front that a name starts with a letter and how it is saved", () => {
    const html = renderToStaticMarkup(
      <NewWorkflowDialog open onClose={() => undefined} onCreate={async () => undefined} />,
    );
    expect(html).toContain(TITLE_RULE);
    expect(TITLE_RULE).toMatch(/Start with a letter/);
    expect(TITLE_RULE).toMatch(/order_status/);
  });

  it("explains a title with no letter to start a name instead of asking for a name", () => {
    expect(titleProblem("123 !!!")).toBe("“123 !!!” has no letter to start a name with: start it with a letter (a–z).");
    expect(titleProblem("  ")).toBe("Give the workflow a name.");
    expect(titleProblem("Order status")).toBeUndefined();
    expect(titleProblem("2nd try")).toBeUndefined();
  });
});
