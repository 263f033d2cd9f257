/** Stable codes for graph edits the document refuses (FD14x), with a one-line fix hint. */
export const EDIT_ERRORS = {
  FD140: "There is no node with that name; pick one of the flow's nodes.",
  FD141: "Another node already has that name; choose a unique one.",
  FD142: "Names may use only letters, digits and _ and must not start with a digit.",
  FD143: "The document is not a workflow mapping with a nodes list; fix the YAML first.",
  FD144: "There is no edge at that position; refresh the view and try again.",
  FD145: "That field has an edit of its own (rename-node, set-config, add-edge, move-node); use it instead.",
} as const;

export type EditErrorCode = keyof typeof EDIT_ERRORS;

export class WorkflowEditError extends Error {
  readonly hint: string;
  constructor(
    readonly code: EditErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "WorkflowEditError";
    this.hint = EDIT_ERRORS[code];
  }
}
