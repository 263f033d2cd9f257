import type { BuiltinNodeType } from "../nodes/builtin-nodes";
import type { NodeExecutor } from "./executor";
import { agentExecutor } from "./executors/agent";
import { askExecutor } from "./executors/ask";
import { conditionExecutor } from "./executors/condition";
import { endExecutor } from "./executors/end";
import { handoffExecutor } from "./executors/handoff";
import { replyExecutor } from "./executors/reply";
import { routerExecutor } from "./executors/router";
import { setExecutor } from "./executors/set";
import { startExecutor } from "./executors/start";
import { toolHttpExecutor } from "./executors/tool-http";
import { toolKbSearchExecutor } from "./executors/tool-kb-search";
import { toolLeadCaptureExecutor } from "./executors/tool-lead-capture";
import { toolOrderLookupExecutor } from "./executors/tool-order-lookup";
import { toolOrderUpdateExecutor } from "./executors/tool-order-update";
import { toolTicketCreateExecutor } from "./executors/tool-ticket-create";

/**
 * How each built-in runs. `subflow` is missing on purpose: entering another workflow is the engine's job (it
 * owns the flow stack), not a step an executor can take.
 */
export const builtinExecutors: Readonly<Record<Exclude<BuiltinNodeType, "subflow">, NodeExecutor>> = {
  start: startExecutor as NodeExecutor,
  end: endExecutor as NodeExecutor,
  reply: replyExecutor as NodeExecutor,
  agent: agentExecutor as NodeExecutor,
  router: routerExecutor as NodeExecutor,
  condition: conditionExecutor as NodeExecutor,
  set: setExecutor as NodeExecutor,
  ask: askExecutor as NodeExecutor,
  handoff: handoffExecutor as NodeExecutor,
  "tool.http": toolHttpExecutor as NodeExecutor,
  "tool.kb_search": toolKbSearchExecutor as NodeExecutor,
  "tool.order_lookup": toolOrderLookupExecutor as NodeExecutor,
  "tool.order_update": toolOrderUpdateExecutor as NodeExecutor,
  "tool.lead_capture": toolLeadCaptureExecutor as NodeExecutor,
  "tool.ticket_create": toolTicketCreateExecutor as NodeExecutor,
};
