/**
 * The workflow document (DESIGN.md §2) as TypeScript sees it once it has validated. The YAML text stays the
 * source of truth; these types describe its plain-data view.
 */
export type Priority = "high" | "medium" | "low";
export type TriggerType = "chat" | "webhook" | "manual";

export interface RetryPolicy {
  /** Total tries including the first one. */
  attempts: number;
  /** Delay before the second try; doubled for each further try when `backoff` is `exponential`. */
  backoff_ms?: number;
  max_backoff_ms?: number;
  backoff?: "exponential" | "fixed";
}

export interface WorkflowNode {
  name: string;
  type: string;
  /** Version of the node type this config was written for; absent means version 1. */
  type_version?: number;
  description?: string;
  config?: Record<string, unknown>;
  retry?: RetryPolicy;
  timeout_ms?: number;
}

export interface WorkflowEdge {
  from: string;
  to: string;
  /** Output port of `from`; `out` when absent, `error` to handle a failure of `from`. */
  port?: string;
  /** CEL; sees `output` (the `from` node's output) besides `input`, `vars`, `nodes`, `conversation`, `tenant`. */
  condition?: string | null;
  label?: string;
}

export interface LayoutPosition {
  x: number;
  y: number;
}

/**
 * Built-in entity kinds. `pattern` finds text matching the flow's RE2 `pattern` (an order number such as
 * AO-10489); the others are built in: `email`, `phone` (international or national numbers of 7–15 digits) and
 * `amount` (a number with a currency symbol or code, e.g. "$25", "19.99 EUR").
 */
export type EntityType = "pattern" | "email" | "phone" | "amount";

/** An entity a flow looks for in every customer message; found values are `entities.<name>` in the scope. */
export interface EntityDeclaration {
  type: EntityType;
  /** RE2 pattern; required for `pattern`. The whole match is the value (or group 1 when the pattern has one). */
  pattern?: string;
  /** `upper` or `lower`: how a found value is written before it is used, e.g. "ao-10489" → "AO-10489". */
  case?: "upper" | "lower";
  description?: string;
}

/**
 * What a successful run that changed nothing outside the flow keeps (DESIGN.md §4): `all` its whole trace,
 * `errors` its summary only, `none` not even its input and output. Failed runs and runs with effects keep all.
 */
export type TraceRetention = "all" | "errors" | "none";

export interface WorkflowSettings {
  trace?: TraceRetention;
}

export interface Workflow {
  name: string;
  version?: string;
  description?: string;
  category?: string;
  priority?: Priority;
  trigger?: { type: TriggerType };
  /** Initial values of `vars` for each run. */
  vars?: Record<string, unknown>;
  /** Entities extracted from each customer message, by name (`entities.<name>`). */
  entities?: Record<string, EntityDeclaration>;
  settings?: WorkflowSettings;
  nodes: WorkflowNode[];
  edges?: WorkflowEdge[];
  layout?: Record<string, LayoutPosition>;
}

/** Names that templates and conditions can read. `output` exists only in edge conditions. */
export const TEMPLATE_ROOTS = ["input", "vars", "entities", "nodes", "conversation", "tenant"] as const;
export const CONDITION_ROOTS = [...TEMPLATE_ROOTS, "output"] as const;
export const DEFAULT_PORT = "out";
export const ERROR_PORT = "error";
