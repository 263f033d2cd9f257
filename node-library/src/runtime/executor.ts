import type { NodeConfig, NodeDefinition, NodeOutputPort } from "../define-node";
import type { ExecutionContext, TokenUsage } from "./context";

/** How a waiting node hands control back: the run is stored as `waiting` (ask) or `handoff`. */
export type Suspension =
  | { readonly kind: "ask"; readonly choices?: readonly string[] }
  | {
      readonly kind: "handoff";
      readonly queue: string;
      readonly priority: string;
      readonly reason: string;
      readonly summary?: string;
    };

export interface ExecutionResult<Port extends string = string> {
  /** Becomes `nodes.<name>.output`. */
  readonly output: unknown;
  /** The output port the run leaves by; `out` (or the node's first output) when absent. */
  readonly port?: Port;
  /** Merged into `vars`. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Merged into the conversation's memory (`conversation.<name>`), which later runs of the conversation see. */
  readonly conversation?: Readonly<Record<string, unknown>>;
  /** Sent to the customer once the step is committed. */
  readonly messages?: readonly string[];
  /**
   * Answers offered as buttons under the step's last message (an ask's `choices`, a reply's `quick_replies`);
   * a click arrives as the customer's next message, the label as its text. Channels without buttons show the
   * message alone.
   */
  readonly choices?: readonly string[];
  readonly suspend?: Suspension;
  /**
   * The step changed something outside the run (a tool wrote a row, a paid model answered): the engine
   * commits its result before anything can depend on it. Pure steps ride along with the next commit.
   */
  readonly effect?: boolean;
  readonly usage?: TokenUsage;
  /** Extra facts recorded on the step (router tier, tokens saved …). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type NodeExecutor<D extends NodeDefinition = NodeDefinition> = (
  ctx: ExecutionContext,
  config: NodeConfig<D>,
) => Promise<ExecutionResult<NodeOutputPort<D>>>;
