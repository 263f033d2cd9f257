/**
 * Errors the builder screen raises, with stable codes (FD41x) and a one-line fix hint, like the language's
 * FD1xx problems and the API's FD3xx answers.
 */
export const BUILDER_ERRORS = {
  FD410: "Render the component inside <WorkflowBuilder> (or a <BuilderProvider> in tests and stories).",
  FD411: "Copy nodes from a Flowdeck canvas first; the clipboard holds something else.",
  FD412: "Fix the YAML until it parses; canvas edits need a readable document.",
  FD413: "Someone else saved this workflow; keep your text (overwrite) or load theirs.",
  FD414: "The draft could not be saved; it is kept here and saving is retried.",
} as const;

export type BuilderErrorCode = keyof typeof BUILDER_ERRORS;

export class BuilderError extends Error {
  readonly hint: string;
  constructor(
    readonly code: BuilderErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "BuilderError";
    this.hint = BUILDER_ERRORS[code];
  }
}
