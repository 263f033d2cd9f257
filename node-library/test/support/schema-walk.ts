/** Helpers that read published (plain JSON) config schemas the way the editor and docs page do. */
export type Schema = Record<string, unknown>;

const asSchema = (value: unknown): Schema | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;

export interface Visited {
  readonly path: string;
  readonly schema: Schema;
  /** Set when the schema is the value of `properties.<name>`. */
  readonly propertyName?: string;
}

/** Every subschema reachable through properties, items, maps and alternatives, with a readable path. */
export function walkSchema(root: Schema): Visited[] {
  const out: Visited[] = [];
  const visit = (schema: Schema, path: string, propertyName?: string): void => {
    out.push({ path, schema, propertyName });
    for (const [name, sub] of Object.entries(asSchema(schema.properties) ?? {})) {
      const child = asSchema(sub);
      if (child) visit(child, `${path}.${name}`, name);
    }
    for (const [pattern, sub] of Object.entries(asSchema(schema.patternProperties) ?? {})) {
      const child = asSchema(sub);
      if (child) visit(child, `${path}[${pattern}]`);
    }
    const additional = asSchema(schema.additionalProperties);
    if (additional) visit(additional, `${path}[*]`);
    const items = asSchema(schema.items);
    if (items) visit(items, `${path}[]`);
    for (const keyword of ["anyOf", "oneOf"] as const) {
      const list = schema[keyword];
      if (Array.isArray(list))
        list.forEach((alt, i) => asSchema(alt) && visit(alt as Schema, `${path}|${keyword}${i}`));
    }
  };
  visit(root, "config");
  return out;
}

/**
 * The config a user gets from the inspector before touching anything: every property default, plus the
 * required values (and one branch of an "at least one of" rule) taken from the first example.
 */
export function defaultsConfig(schema: Schema, example: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(asSchema(schema.properties) ?? {})) {
    const property = asSchema(sub);
    if (property && "default" in property) config[name] = property.default;
  }
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  for (const name of required) config[name] = example[name];
  const alternatives = Array.isArray(schema.anyOf) ? (schema.anyOf as Schema[]) : [];
  const requiredOf = (alt: Schema) => (Array.isArray(alt.required) ? (alt.required as string[]) : []);
  if (
    alternatives.length > 0 &&
    !alternatives.some((alt) => requiredOf(alt).every((name) => name in config))
  ) {
    const satisfied = alternatives.find((alt) => requiredOf(alt).every((name) => name in example));
    for (const name of satisfied ? requiredOf(satisfied) : []) config[name] = example[name];
  }
  return config;
}
