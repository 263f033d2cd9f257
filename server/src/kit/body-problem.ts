import type { ErrorObject } from "ajv";
import { NON_BLANK_PATTERN } from "@flowdeck/schemas";
import { fieldLabel } from "./field-label";

/**
 * The annotation a pattern-bearing string carries: what may be typed there, in words that follow "Label: ".
 * Ajv's own message quotes the regular expression (`must match pattern "^[a-z]..."`), which tenant staff cannot
 * read; `Type.String({ pattern, [ALLOWED_KEYWORD]: "use lowercase letters, …" })` says it instead.
 */
export const ALLOWED_KEYWORD = "x-allowed";

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "a set of fields",
  array: "a list",
  null: "empty (null)",
};

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  email: "must be an email address, such as name@example.com",
  uri: "must be a full web address, such as https://example.com",
  url: "must be a full web address, such as https://example.com",
  "date-time": "must be a date and time, such as 2027-01-31T17:00:00Z",
  date: "must be a date, such as 2027-01-31",
  uuid: "must be an ID such as 123e4567-e89b-42d3-a456-426614174000",
};

/** What a refused body answers: a sentence for people, and where and why for programs. */
export interface BodyProblem {
  readonly message: string;
  readonly details: {
    /** JSON pointer of the field (0-based list indexes), e.g. `/entries/1`. */
    readonly field: string;
    /** The JSON Schema keyword that failed, e.g. `pattern`, `required`, `maxLength`. */
    readonly keyword: string;
    readonly params: Readonly<Record<string, unknown>>;
  };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The values of an `anyOf` whose branches are all constants (a union of literals), else undefined. */
function literalChoices(errors: readonly ErrorObject[], at: string): unknown[] | undefined {
  const union = errors.find((e) => e.keyword === "anyOf" && e.instancePath === at);
  const branches = (union?.parentSchema as { anyOf?: unknown[] } | undefined)?.anyOf;
  if (!branches?.every((b) => typeof b === "object" && b !== null && "const" in b)) return undefined;
  return branches.map((b) => (b as { const: unknown }).const);
}

function valueWords(error: ErrorObject, errors: readonly ErrorObject[]): string {
  const params = error.params as Record<string, unknown>;
  const limit = Number(params.limit);
  switch (error.keyword) {
    case "type":
      return `must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}`;
    case "pattern": {
      // The workflow language's "not blank" needs no words of its own.
      if (params.pattern === NON_BLANK_PATTERN) return "cannot be blank";
      const allowed = (error.parentSchema as Record<string, unknown> | undefined)?.[ALLOWED_KEYWORD];
      return typeof allowed === "string" ? `: ${allowed}` : "is not in a form this field accepts";
    }
    case "format":
      return FORMAT_WORDS[String(params.format)] ?? `must be ${String(params.format)}`;
    case "minLength":
      return limit <= 1 ? "cannot be empty" : `must be at least ${plural(limit, "character", "characters")}`;
    case "maxLength":
      return `must be at most ${plural(limit, "character", "characters")}`;
    case "minimum":
      return `must be at least ${limit}`;
    case "maximum":
      return `must be at most ${limit}`;
    case "exclusiveMinimum":
      return `must be more than ${limit}`;
    case "exclusiveMaximum":
      return `must be less than ${limit}`;
    case "minItems":
      return `needs at least ${plural(limit, "entry", "entries")}`;
    case "maxItems":
      return `may have at most ${plural(limit, "entry", "entries")}`;
    case "uniqueItems":
      return `lists the same value twice (entries ${Number(params.j) + 1} and ${Number(params.i) + 1})`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const": {
      const choices = literalChoices(errors, error.instancePath) ?? [params.allowedValue];
      return choices.length === 1
        ? `must be ${JSON.stringify(choices[0])}`
        : `must be one of ${choices.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    default:
      return "is not valid";
  }
}

/**
 * The first of Ajv's errors (compiled with `verbose`, so each carries its schema) as a sentence that names the
 * field as the editor does and says what is allowed. Unknown fields keep their pointer: no form has them, so
 * only the program that sent one can act on it.
 */
export function describeBodyError(errors: readonly ErrorObject[], root: unknown): BodyProblem {
  const error = errors[0];
  if (!error)
    return { message: "The request body is invalid.", details: { field: "", keyword: "", params: {} } };
  const at = error.instancePath || "";
  const params = error.params as Record<string, unknown>;
  const problem = (field: string, message: string): BodyProblem => ({
    message,
    details: { field, keyword: error.keyword, params },
  });
  if (error.keyword === "additionalProperties") {
    const field = `${at}/${String(params.additionalProperty)}`;
    return problem(field, `Unknown field ${field}: this route does not accept it.`);
  }
  if (error.keyword === "required") {
    const field = `${at}/${String(params.missingProperty)}`;
    return problem(field, `${fieldLabel(root, field)} is required.`);
  }
  if (at === "" && error.keyword === "type") {
    return problem(at, "The body must be a JSON object (Content-Type: application/json).");
  }
  const words = valueWords(error, errors);
  const label = fieldLabel(root, at);
  return problem(at, words.startsWith(":") ? `${label}${words}.` : `${label} ${words}.`);
}
