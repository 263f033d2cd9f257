import {
  createWorkflowValidator,
  type Problem,
  type Workflow,
  type WorkflowValidator,
} from "@flowdeck/schemas";
import type { NodeCatalog } from "@flowdeck/schemas";
import { EngineError } from "./engine-errors";

/** A workflow file that does not validate; carries every problem so callers can print them. */
export class InvalidWorkflowError extends EngineError {
  constructor(
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      "FD209",
      `${source} is not a valid workflow (${problems.filter((p) => p.severity === "error").length} error(s)).`,
    );
  }
}

/**
 * Validated workflows by name: what the CLI and the tests run, and how subflows are found outside the server
 * (which resolves published versions instead).
 */
export interface WorkflowLibrary {
  add(text: string, source?: string): Workflow;
  get(name: string): Workflow | undefined;
  names(): string[];
  readonly validator: WorkflowValidator;
}

export function createWorkflowLibrary(catalog: NodeCatalog): WorkflowLibrary {
  const validator = createWorkflowValidator(catalog);
  const workflows = new Map<string, Workflow>();
  return {
    validator,
    add(text, source = "workflow") {
      const result = validator.validate(text);
      if (!result.workflow) throw new InvalidWorkflowError(source, result.problems);
      workflows.set(result.workflow.name, result.workflow);
      return result.workflow;
    },
    get: (name) => workflows.get(name),
    names: () => [...workflows.keys()].sort(),
  };
}
