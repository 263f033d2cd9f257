// Which plain string fields of the generated form are one line (text-field-lines.ts). The workflow's Version
// ("1.0.0") was a two-row textarea because the schema gives it a pattern and no maxLength.
import { composeWorkflowSchema, type JsonSchema } from "@flowdeck/schemas";
import { describe, expect, it } from "vitest";
import { isSingleLineText, SINGLE_LINE_MAX_CHARS } from "../../src/builder/text-field-lines";
import { catalog } from "./builder-fixtures";

const properties = (schema: JsonSchema) => schema.properties as Record<string, JsonSchema>;
const workflow = composeWorkflowSchema(catalog);

describe("one line or many for a string field", () => {
  it("gives the workflow's Version, Name and Category one line and its Description many", () => {
    const fields = properties(workflow);
    expect(isSingleLineText(fields.version!)).toBe(true);
    expect(isSingleLineText(fields.name!)).toBe(true);
    expect(isSingleLineText(fields.category!)).toBe(true);
    expect(isSingleLineText(fields.description!)).toBe(false);
  });

  it("reads a whole-value pattern, a format or a short maximum as one line", () => {
    expect(isSingleLineText({ type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$" })).toBe(true);
    expect(isSingleLineText({ type: "string", format: "email" })).toBe(true);
    expect(isSingleLineText({ type: "string", maxLength: SINGLE_LINE_MAX_CHARS })).toBe(true);
    expect(isSingleLineText({ type: "string", maxLength: SINGLE_LINE_MAX_CHARS + 1 })).toBe(false);
  });

  it("keeps free text multi-line: no limits, or a pattern that does not bind the whole value", () => {
    expect(isSingleLineText({ type: "string" })).toBe(false);
    // "Not blank" says nothing about lines.
    expect(isSingleLineText({ type: "string", pattern: "\\S" })).toBe(false);
    expect(isSingleLineText({ type: "string", pattern: "^Dear" })).toBe(false);
    // An escaped dollar sign is a character, not the end of the value.
    expect(isSingleLineText({ type: "string", pattern: "^costs \\$" })).toBe(false);
    expect(isSingleLineText({ type: "string", pattern: "^costs \\\\$" })).toBe(true);
  });
});
