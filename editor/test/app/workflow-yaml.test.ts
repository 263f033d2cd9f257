import { describe, expect, it } from "vitest";
import { safeNextPath } from "../../src/auth/safe-next-path";
import {
  nameOfYaml,
  renameYaml,
  starterYaml,
  toWorkflowName,
  workflowNameProblem,
} from "../../src/workflows/workflow-yaml";

describe("workflow YAML chores", () => {
  it("renames through the document, keeping comments and layout", () => {
    const yaml = "# our main flow\nname: old_name # keep me\nnodes:\n  - { name: start, type: start }\n";
    const renamed = renameYaml(yaml, "new_name");
    expect(renamed).toBe(
      "# our main flow\nname: new_name # keep me\nnodes:\n  - { name: start, type: start }\n",
    );
    expect(nameOfYaml(renamed)).toBe("new_name");
  });

  it("refuses to rename YAML that does not parse", () => {
    expect(() => renameYaml("name: [oops\n", "x")).toThrow(/FD610/);
  });

  it("makes snake_case names from titles and explains bad names", () => {
    expect(toWorkflowName("Order status (EU) — Café")).toBe("order_status_eu_cafe");
    expect(toWorkflowName("2nd try")).toBe("nd_try");
    expect(workflowNameProblem("")).toMatch(/name/);
    expect(workflowNameProblem("Bad-Name")).toMatch(/lowercase/);
    expect(workflowNameProblem("good_name")).toBeUndefined();
  });

  it("starts new workflows from a document that names them", () => {
    expect(nameOfYaml(starterYaml("greeter", 'Says "hi"'))).toBe("greeter");
    expect(starterYaml("greeter", 'Says "hi"')).toContain('description: "Says \\"hi\\""');
  });

  it("follows ?next= only within the app", () => {
    expect(safeNextPath("/flows/abc")).toBe("/flows/abc");
    for (const hostile of ["//evil.example", "https://evil.example", "/\\evil.example", null, ""]) {
      expect(safeNextPath(hostile)).toBe("/");
    }
  });
});
