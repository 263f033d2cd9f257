/**
 * What the language needs to know about node types. `schemas` imports no other package, so the
 * node registry (in `@flowdeck/node-library`) hands this in; the validator, the graph checks and the
 * schema composer depend only on this shape.
 */
/**
 * How a node type's outputs read as branches on the canvas. Plain JSON (no functions), because package node
 * types reach the editor as JSON from `GET /node-types`. The YAML does not change: a branch is a reading of the
 * edges that already exist (a port, or a condition of a known shape on a port).
 */
export interface BranchSpec {
  /** Names shown for fixed ports, e.g. an ask's `{ out: "answer", error: "timeout" }`. */
  readonly portLabels?: Readonly<Record<string, string>>;
  /** One branch per entry of a config list (a router's intents), each an edge condition on `port`. */
  readonly perItem?: {
    /** Config key of the list: `intents`. */
    readonly list: string;
    /** Field of each entry that names it: `name`. */
    readonly key: string;
    readonly port: string;
    /** CEL written on the edge, `{value}` replaced by the entry's name: `output.route == '{value}'`. */
    readonly condition: string;
    /** Name of the edge on `port` without a condition, taken when no entry matched: `fallback`. */
    readonly otherwise: string;
  };
}

export type JsonSchema = Record<string, unknown>;

/** A config field that holds a Liquid template or a CEL expression is marked with one of these. */
export const TEMPLATE_MEDIA_TYPE = "text/x-liquid";
export const EXPRESSION_MEDIA_TYPE = "text/x-cel";

export interface NodeTypeInfo {
  /** `agent`, `tool.http`, `acme.weather` … */
  readonly type: string;
  /** Current version of the node type; configs written for an older `type_version` are migrated first. */
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  /** JSON Schema (2020-12) of `config` at the current version. */
  readonly configSchema: JsonSchema;
  /** Output port names. Every edge leaving the node names one of them (`out` when the edge says nothing). */
  readonly outputs: readonly string[];
  /** The node suspends the run until the customer (or a human) answers: a cycle through it is bounded. */
  readonly waits: boolean;
  /** How the outputs read as branches on the canvas (a router's intents, an ask's timeout); absent: one per port. */
  readonly branches?: BranchSpec;
  /** Brings `config` written for `fromVersion` up to `version`. Absent when the type never changed. */
  readonly migrate?: (config: unknown, fromVersion: number) => unknown;
}

export interface NodeCatalog {
  get(type: string): NodeTypeInfo | undefined;
  list(): readonly NodeTypeInfo[];
}
