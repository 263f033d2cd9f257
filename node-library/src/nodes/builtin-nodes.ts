import { agentNode } from "./agent";
import { askNode } from "./ask";
import { conditionNode } from "./condition";
import { endNode } from "./end";
import { handoffNode } from "./handoff";
import { replyNode } from "./reply";
import { routerNode } from "./router";
import { setNode } from "./set";
import { startNode } from "./start";
import { subflowNode } from "./subflow";
import { toolHttpNode } from "./tool-http";
import { toolKbSearchNode } from "./tool-kb-search";
import { toolLeadCaptureNode } from "./tool-lead-capture";
import { toolOrderLookupNode } from "./tool-order-lookup";
import { toolOrderUpdateNode } from "./tool-order-update";
import { toolTicketCreateNode } from "./tool-ticket-create";

/**
 * Every built-in, in palette order. A tuple rather than `NodeDefinition[]` so each element keeps its literal
 * type and config schema: the runtime's executor table is typed from it.
 */
export const builtinNodes = [
  startNode,
  endNode,
  replyNode,
  agentNode,
  routerNode,
  conditionNode,
  setNode,
  askNode,
  handoffNode,
  subflowNode,
  toolHttpNode,
  toolKbSearchNode,
  toolOrderLookupNode,
  toolOrderUpdateNode,
  toolLeadCaptureNode,
  toolTicketCreateNode,
] as const;

export type BuiltinNodeDefinition = (typeof builtinNodes)[number];
export type BuiltinNodeType = BuiltinNodeDefinition["type"];
/** The definition of one built-in by name, e.g. `BuiltinNode<"agent">`. */
export type BuiltinNode<T extends BuiltinNodeType> = Extract<BuiltinNodeDefinition, { type: T }>;
