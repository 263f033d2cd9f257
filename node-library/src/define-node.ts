import type { BranchSpec } from "@flowdeck/schemas";
import type { Static, TSchema } from "typebox";

/** The palette groups built-ins under these; a third-party package may add its own group. */
export type NodeCategory = "flow" | "ai" | "logic" | "human" | "tools" | (string & {});

export interface NodeMeta {
  readonly title: string;
  readonly category: NodeCategory;
  /** A lucide icon name in kebab-case (`bot`, `git-branch`); the editor maps it to the component, so no React here. */
  readonly icon: string;
  /** One sentence: palette tooltip and the schema's description of the type. */
  readonly description: string;
  /** Markdown paragraph(s) for the docs page and the inspector's hover help. */
  readonly docs: string;
  readonly tags?: readonly string[];
}

export interface NodePorts<Output extends string = string> {
  readonly inputs: readonly string[];
  /** Every edge leaving the node names one of these; `error` is taken when the node fails after its retries. */
  readonly outputs: readonly Output[];
}

/**
 * Brings a config from version k to k + 1. The old config never validated against a schema we still have,
 * so it arrives as plain data (a private copy: mutating it is fine) and must come out as a plain object.
 */
export type ConfigMigration = (config: Record<string, unknown>) => Record<string, unknown>;

/**
 * Everything Flowdeck knows about a node type except how to run it. Executors live behind
 * `@flowdeck/node-library/runtime` and are attached by `type`; the literal `Type`, the `Config` schema and the
 * `Output` port names stay in the type so that a typed executor table keyed by `type` gets
 * `Static<Config>` for its config argument without casts (see CONTEXT.md).
 */
export interface NodeDefinition<
  Type extends string = string,
  Config extends TSchema = TSchema,
  Output extends string = string,
> {
  /** `agent`, `tool.http`; third-party types are `<vendor>.<name>`, e.g. `acme.weather`. */
  readonly type: Type;
  /** Bumped whenever a config written for the previous version would no longer validate. */
  readonly version: number;
  readonly meta: NodeMeta;
  /** JSON Schema (TypeBox) of `config`: an object with `additionalProperties: false`. */
  readonly config: Config;
  readonly ports: NodePorts<Output>;
  /**
   * How the outputs read as branches on the canvas, derived from the config: `perItem` gives one handle per
   * entry of a config list (a router's intents, written as edge conditions), `portLabels` names ports for
   * people (an ask's `error` is its timeout). Plain JSON, so package types served as JSON keep it.
   */
  readonly branches?: BranchSpec;
  /** The node suspends the run until someone answers (ask, handoff); a cycle through it is bounded. */
  readonly waits: boolean;
  /**
   * The node's result comes from the run alone: no model, HTTP or service call, no write outside the engine
   * (its messages are delivered from committed events only), so executing it twice changes nothing. The engine
   * may run such steps before the run is stored (a synchronous webhook call, see the engine's `deferStore`);
   * any other node type makes it store the run first. Absent means false: a third-party node is assumed to
   * have effects unless it says otherwise.
   */
  readonly pure?: boolean;
  /** Key k migrates a config from version k to k + 1; keys 1 … version − 1, no gaps. Absent for version 1. */
  readonly migrations?: Readonly<Record<number, ConfigMigration>>;
  /** Shown in the docs page and the palette preview; each must validate against `config`. */
  readonly examples: readonly [Static<Config>, ...Static<Config>[]];
}

/** The config an executor receives for definition `D`, after validation and defaults. */
export type NodeConfig<D extends NodeDefinition> = Static<D["config"]>;

/** The output port names of definition `D`, so an executor can only pick a port the node declares. */
export type NodeOutputPort<D extends NodeDefinition> = D["ports"]["outputs"][number];

/** The literal type name of definition `D`. */
export type NodeTypeName<D extends NodeDefinition> = D["type"];

/**
 * Declares a node type. It only checks types and freezes the declaration; the registry validates the rest
 * (name rule, migration chain, examples) when the definition is registered, so one broken third-party
 * package cannot make this package's import throw in the editor.
 */
export function defineNode<const Type extends string, Config extends TSchema, const Output extends string>(
  definition: NodeDefinition<Type, Config, Output>,
): NodeDefinition<Type, Config, Output> {
  return Object.freeze({
    ...definition,
    meta: Object.freeze({ ...definition.meta }),
    ports: Object.freeze({ inputs: [...definition.ports.inputs], outputs: [...definition.ports.outputs] }),
    migrations: Object.freeze({ ...definition.migrations }),
    ...(definition.branches ? { branches: Object.freeze(structuredClone(definition.branches)) } : {}),
    // Frozen in place: copying would widen the non-empty tuple type, and the literal is the caller's anyway.
    examples: Object.freeze(definition.examples),
  });
}
