import { createBuiltinRegistry, type NodeDefinition, type NodeRegistry } from "@flowdeck/node-library";
import { validate as builtinSchemaCheck } from "@flowdeck/node-library/workflow-validate";
import {
  createWorkflowValidator,
  EXPRESSION_MEDIA_TYPE,
  TEMPLATE_MEDIA_TYPE,
  type JsonSchema,
  type NodeCatalog,
  type WorkflowValidator,
} from "@flowdeck/schemas";

/** What the builder knows about node types: the registry (palette, icons), its catalog and the validator. */
export interface BuilderRegistry {
  readonly registry: NodeRegistry;
  readonly catalog: NodeCatalog;
  /**
   * Checks every keystroke locally, also under the server's CSP (`script-src 'self'`, no 'unsafe-eval'): the
   * schema check is Ajv standalone code generated at build time (`pnpm generate:schema`), not compiled here
   * with `new Function`. A registry with third-party node types would need its own generated check; until the
   * builder loads such packages, `DocumentStoreOptions.validator` stays optional for that case.
   */
  readonly validator: WorkflowValidator;
  iconOf(type: string): string | undefined;
}

let builtin: BuilderRegistry | undefined;

/** The built-in registry and its validator, made once per page. */
export function builtinBuilderRegistry(): BuilderRegistry {
  if (builtin) return builtin;
  const registry = createBuiltinRegistry();
  const catalog = registry.catalog();
  builtin = {
    registry,
    catalog,
    // Generated from this same built-in catalog; node-library's precompiled-validator test fails when stale.
    validator: createWorkflowValidator(catalog, { compiledSchema: builtinSchemaCheck }),
    iconOf: (type) => registry.get(type)?.meta.icon,
  };
  return builtin;
}

const asSchema = (value: unknown): JsonSchema | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;

/**
 * The config a node dropped from the palette starts with: only its required fields, filled from the schema's
 * default or the first example. Example text that names other nodes (`nodes.find_order…`) would be an error in
 * a new flow, so such templates start as `{{ input.message }}` and expressions as `true`.
 */
export function starterConfig(definition: NodeDefinition): Record<string, unknown> | undefined {
  const schema = definition.config as unknown as JsonSchema;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const example = (definition.examples[0] ?? {}) as Record<string, unknown>;
  const properties = asSchema(schema.properties) ?? {};
  const config: Record<string, unknown> = {};
  for (const key of required) {
    const field = asSchema(properties[key]) ?? {};
    const sample = example[key];
    if (field.default !== undefined) config[key] = field.default;
    else if (typeof sample === "string" && sample.includes("nodes.")) {
      config[key] = field.contentMediaType === EXPRESSION_MEDIA_TYPE ? "true" : "{{ input.message }}";
    } else if (sample !== undefined) config[key] = sample;
    else if (field.contentMediaType === TEMPLATE_MEDIA_TYPE) config[key] = "{{ input.message }}";
  }
  return Object.keys(config).length > 0 ? config : undefined;
}
