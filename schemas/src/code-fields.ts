import { EXPRESSION_MEDIA_TYPE, TEMPLATE_MEDIA_TYPE, type JsonSchema } from "./catalog";
import type { PathSegment } from "./problem";

export type CodeKind = "template" | "expression";

export interface CodeField {
  readonly path: readonly PathSegment[];
  readonly text: string;
  readonly kind: CodeKind;
}

function kindOf(schema: JsonSchema): CodeKind | undefined {
  if (schema.contentMediaType === TEMPLATE_MEDIA_TYPE) return "template";
  if (schema.contentMediaType === EXPRESSION_MEDIA_TYPE) return "expression";
  return undefined;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

/** The sub-schema that describes `key` of an object schema (properties, then patternProperties, then the rest). */
function propertySchema(schema: JsonSchema, key: string): JsonSchema | undefined {
  const properties = asSchema(schema.properties);
  const direct = asSchema(properties?.[key]);
  if (direct) return direct;
  const patterns = asSchema(schema.patternProperties);
  if (patterns) {
    for (const [pattern, sub] of Object.entries(patterns)) {
      if (new RegExp(pattern, "u").test(key)) return asSchema(sub);
    }
  }
  return asSchema(schema.additionalProperties);
}

/**
 * Lists the strings of a config value that the schema marks as Liquid templates or CEL expressions, with their
 * paths, so they can be compiled and their `nodes.X` references checked. Follows the value, so its cost is the
 * size of the config, not of the schema.
 */
export function collectCodeFields(
  schema: JsonSchema,
  value: unknown,
  path: readonly PathSegment[],
): CodeField[] {
  const out: CodeField[] = [];
  visit(schema, value, path, out);
  return out;
}

function visit(schema: JsonSchema, value: unknown, path: readonly PathSegment[], out: CodeField[]): void {
  if (typeof value === "string") {
    const kind =
      kindOf(schema) ??
      alternatives(schema)
        .map(kindOf)
        .find((k) => k !== undefined);
    if (kind) out.push({ path, text: value, kind });
    return;
  }
  if (Array.isArray(value)) {
    const items =
      asSchema(schema.items) ??
      alternatives(schema)
        .map((s) => asSchema(s.items))
        .find(Boolean);
    if (items) value.forEach((item, index) => visit(items, item, [...path, index], out));
    return;
  }
  if (typeof value === "object" && value !== null) {
    const objectSchema =
      schema.type === "object" ? schema : (alternatives(schema).find((s) => s.type === "object") ?? schema);
    for (const [key, item] of Object.entries(value)) {
      const sub = propertySchema(objectSchema, key);
      if (sub) visit(sub, item, [...path, key], out);
    }
  }
}

function alternatives(schema: JsonSchema): JsonSchema[] {
  const list = [schema.anyOf, schema.oneOf].flatMap((alts) => (Array.isArray(alts) ? alts : []));
  return list.map(asSchema).filter((s): s is JsonSchema => s !== undefined);
}
