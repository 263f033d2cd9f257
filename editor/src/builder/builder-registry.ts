import { createBuiltinRegistry, type NodeDefinition, type NodeRegistry } from "@flowdeck/node-library";
import {
  createWorkflowValidator,
  EXPRESSION_MEDIA_TYPE,
  TEMPLATE_MEDIA_TYPE,
  type JsonSchema,
  type NodeCatalog,
  type WorkflowValidator,
} from "@flowdeck/schemas";

/** What the builder knows about node types: the registry (palette, icons), its catalog and the compiled validator. */
export interface BuilderRegistry {
  readonly registry: NodeRegistry;
  readonly catalog: NodeCatalog;
  /**
   * Undefined where the page's Content Security Policy forbids compiling code (the server's `script-src 'self'`):
   * Ajv compiles the schema with `new Function`. The builder then shows YAML problems at once and the full
   * validation from the server after each autosave (see document-store.ts).
   */
  readonly validator: WorkflowValidator | undefined;
  iconOf(type: string): string | undefined;
}

let builtin: BuilderRegistry | undefined;

/** The built-in registry, compiled once per page (compiling the schema is the slow part of opening a flow). */
export function builtinBuilderRegistry(): BuilderRegistry {
  if (builtin) return builtin;
  const registry = createBuiltinRegistry();
  const catalog = registry.catalog();
  builtin = {
    registry,
    catalog,
    validator: tryCreateValidator(catalog),
    iconOf: (type) => registry.get(type)?.meta.icon,
  };
  return builtin;
}

/** Whether this page may compile code (Ajv needs it); asked once, with a one-line function, before the slow compile. */
function canCompileCode(): boolean {
  try {
    // A constant probe, nothing user-written (DESIGN.md §3).
    return new Function("return true")() === true;
  } catch {
    return false;
  }
}

function tryCreateValidator(catalog: NodeCatalog): WorkflowValidator | undefined {
  if (!canCompileCode()) return undefined;
  try {
    return createWorkflowValidator(catalog);
  } catch (error) {
    // EvalError under a CSP without 'unsafe-eval'; anything else is a real bug and must surface.
    if (
      error instanceof EvalError ||
      (error instanceof Error && /unsafe-eval|Content Security Policy/i.test(error.message))
    ) {
      return undefined;
    }
    throw error;
  }
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
