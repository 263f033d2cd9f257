import Type, { type TSchema } from "typebox";
import { EXPRESSION_MEDIA_TYPE, NON_BLANK_PATTERN, TEMPLATE_MEDIA_TYPE } from "@flowdeck/schemas";

/**
 * Builders for the field kinds every node shares. Definitions go through these instead of spelling the schema
 * out, so a Liquid template is marked the same way in all sixteen built-ins (the validator, the inspector and the
 * YAML language server find code fields by `contentMediaType` alone).
 */

/** Every field documents itself: the inspector form and the docs page print these two strings. */
export interface FieldDoc {
  readonly title: string;
  readonly description: string;
}

export interface TextFieldOptions extends FieldDoc {
  readonly default?: string;
  readonly examples?: readonly string[];
  readonly maxLength?: number;
  /**
   * Refuse "" and whitespace only (FD111, as if the field were absent). For required text without which the
   * node means nothing: a reply with no text, a question with no prompt. Not for text where empty is an
   * answer (a greeting left out, an optional note).
   */
  readonly nonBlank?: boolean;
}

function textSchema(mediaType: string, maxLength: number, options: TextFieldOptions) {
  const { nonBlank, ...rest } = options;
  return {
    contentMediaType: mediaType,
    maxLength,
    ...(nonBlank === true ? { pattern: NON_BLANK_PATTERN } : {}),
    ...rest,
  };
}

// Generous caps: a prompt can be long, but a megabyte of config is a mistake or an attack on the validator.
const TEMPLATE_MAX_LENGTH = 50_000;
// Edge conditions in the workflow schema use the same cap.
const EXPRESSION_MAX_LENGTH = 4_000;

/** A Liquid template (NODE-SPEC "T"): rendered against input, vars, nodes, conversation and tenant. */
export function template(options: TextFieldOptions) {
  return Type.String(textSchema(TEMPLATE_MEDIA_TYPE, TEMPLATE_MAX_LENGTH, options));
}

/** A CEL expression (NODE-SPEC "E"): evaluated to a typed value, never rendered as text. */
export function expression(options: TextFieldOptions) {
  return Type.String(textSchema(EXPRESSION_MEDIA_TYPE, EXPRESSION_MAX_LENGTH, options));
}

export interface EnumFieldOptions<Value extends string> extends FieldDoc {
  readonly default?: Value;
}

/**
 * A closed set of strings as `{ type: "string", enum }`. A union of literals would publish `anyOf` of `const`
 * branches, whose errors list every branch instead of saying "must be one of …".
 */
export function stringEnum<const Values extends readonly [string, ...string[]]>(
  values: Values,
  options: EnumFieldOptions<Values[number]>,
) {
  return Type.Enum([...values] as Values[number][], { type: "string", ...options });
}

/** snake_case, as used for intent names and variable names that templates read as `vars.<name>`. */
export const SNAKE_CASE_PATTERN = "^[a-z][a-z0-9_]*$";

export interface MapFieldOptions extends FieldDoc {
  /** Pattern every key must match; keys are free-form when absent. */
  readonly keyPattern?: string;
  readonly maxProperties?: number;
}

/**
 * A map from a name to a value (`output`, `values`, `headers` …). Keys that miss `keyPattern` are refused
 * rather than silently ignored, hence `additionalProperties: false` next to `patternProperties`.
 */
export function map<Value extends TSchema>(value: Value, options: MapFieldOptions) {
  const { keyPattern, ...rest } = options;
  return Type.Record(Type.String(keyPattern === undefined ? {} : { pattern: keyPattern }), value, {
    additionalProperties: false,
    maxProperties: 200,
    ...rest,
  });
}

/**
 * A `required` clause for use inside `anyOf` / `if…then`. Ajv's strictRequired looks for the keys among the
 * clause's own `properties` (it checks applicators before the parent's `properties`), so each key is repeated
 * there as `true`, which constrains nothing.
 */
export function requireKeys(...keys: readonly string[]): {
  properties: Record<string, true>;
  required: string[];
} {
  return { properties: Object.fromEntries(keys.map((key) => [key, true] as const)), required: [...keys] };
}

/** At least one of these config keys must be present, published as `anyOf` of `required` so editors enforce it. */
export function atLeastOneOf(...keys: readonly string[]) {
  return { anyOf: keys.map((key) => requireKeys(key)) };
}
