// Importing a workflow file the server refuses (400 FD335) used to toast the message and a hint that pointed at
// `details.problems`, a field of the answer no person can see. The toast now lists the first problems with their
// line and column, and how many more there are.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiError, errorNotice, problemLines } from "../../src/api";
import { ToastView } from "../../src/ui/toasts";

const problem = (line: number, message: string, severity = "error") => ({
  code: "FD100",
  severity,
  message,
  path: "",
  line,
  column: 3,
});

const refusal = (problems: object[], problemCount = problems.length) =>
  new ApiError(400, {
    code: "FD335",
    message: `The YAML cannot be loaded. Line 4, column 3: ${String((problems[0] as { message: string }).message)}`,
    hint: "Fix these problems (line and column given); a workflow file needs valid YAML and a name.",
    details: { problems, problemCount },
  });

describe("the import toast", () => {
  it("lists the first three problems by line and column, then how many more", () => {
    const error = refusal(
      [
        problem(9, "A warning comes last.", "warning"),
        problem(4, "The YAML could not be read: flow map must end with a }."),
        problem(6, "Unexpected end of the file."),
        problem(7, "Nodes must be a list."),
        problem(8, "Edges must be a list."),
      ],
      120,
    );
    const notice = errorNotice("Could not import bad.yaml", error);
    expect(notice.text).toBe(
      "Could not import bad.yaml. Fix these problems (line and column given); a workflow file needs valid YAML and a name.",
    );
    expect(notice.lines).toEqual([
      "Line 4, column 3: The YAML could not be read: flow map must end with a }.",
      "Line 6, column 3: Unexpected end of the file.",
      "Line 7, column 3: Nodes must be a list.",
      "…and 117 more.",
    ]);
    expect([notice.text, ...notice.lines].join(" ")).not.toMatch(/details|FD100/);
  });

  it("shows every problem when there are few, and message and hint for errors without problems", () => {
    expect(problemLines(refusal([problem(1, 'The workflow is missing "name", which is required.')]))).toEqual([
      'Line 1, column 3: The workflow is missing "name", which is required.',
    ]);
    const taken = new ApiError(409, {
      code: "FD333",
      message: 'A workflow called "orders" already exists.',
      hint: "Choose another name.",
    });
    expect(errorNotice("Could not import orders.yaml", taken)).toEqual({
      text: 'Could not import orders.yaml: A workflow called "orders" already exists. Choose another name.',
      lines: [],
    });
  });

  it("renders the lines as a list inside the toast", () => {
    const html = renderToStaticMarkup(
      <ToastView
        toast={{ id: 1, kind: "error", message: "Could not import bad.yaml.", lines: ["Line 4, column 3: x", "…and 2 more."] }}
        onDismiss={() => undefined}
      />,
    );
    expect(html).toContain('<ul class="fd-toast__lines"><li>Line 4, column 3: x</li><li>…and 2 more.</li></ul>');
  });
});
