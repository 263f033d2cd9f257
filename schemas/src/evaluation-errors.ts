/**
 * Why a template or expression was stopped while it ran. The runtime turns these into its own codes (FD213 a
 * file was asked for, FD214 a limit was reached); validation reports the same causes earlier where it can.
 */
export class EvaluationLimitError extends Error {
  constructor(
    /** The limit that was reached, named as in `TEMPLATE_LIMITS` / `CEL_RUN_LIMITS` (`maxOutputChars`, …). */
    readonly limit: string,
    message: string,
  ) {
    super(message);
    this.name = "EvaluationLimitError";
  }
}

/** A template asked for a file (`include`, `render`, `layout`): templates only ever see the workflow's text. */
export class TemplateFileError extends Error {
  constructor(readonly tag: string) {
    super(
      `{% ${tag} %} is not available: templates cannot read files. Write the text into the template itself.`,
    );
    this.name = "TemplateFileError";
  }
}
