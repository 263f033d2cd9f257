export { defineNode } from "./define-node";
export type {
  ConfigMigration,
  NodeCategory,
  NodeConfig,
  NodeDefinition,
  NodeMeta,
  NodeOutputPort,
  NodePorts,
  NodeTypeName,
} from "./define-node";
export {
  SNAKE_CASE_PATTERN,
  atLeastOneOf,
  expression,
  map,
  requireKeys,
  stringEnum,
  template,
} from "./fields";
export type { EnumFieldOptions, FieldDoc, MapFieldOptions, TextFieldOptions } from "./fields";
export { NODE_REGISTRY_CODES, NodeRegistryError } from "./node-registry-error";
export type { NodeRegistryCode } from "./node-registry-error";
export {
  BUILTIN_TYPE_PATTERN,
  NODE_TYPE_MAX_LENGTH,
  RESERVED_VENDORS,
  THIRD_PARTY_TYPE_PATTERN,
} from "./type-name";
export { migrateConfig } from "./migrate-config";
export { createRegistry } from "./registry";
export type { NodePlugin, NodePluginModule, NodeRegistry } from "./registry";
export { createBuiltinRegistry } from "./builtin-registry";
export { nodePackageHost } from "./node-package-host";
export type { NodePackageHost } from "./node-package-host";
export { builtinNodes } from "./nodes/builtin-nodes";
export type { BuiltinNode, BuiltinNodeDefinition, BuiltinNodeType } from "./nodes/builtin-nodes";
export { agentNode } from "./nodes/agent";
export { askNode } from "./nodes/ask";
export { conditionNode } from "./nodes/condition";
export { endNode } from "./nodes/end";
export { handoffNode } from "./nodes/handoff";
export { replyNode } from "./nodes/reply";
export { routerNode } from "./nodes/router";
export { setNode } from "./nodes/set";
export { startNode } from "./nodes/start";
export { subflowNode } from "./nodes/subflow";
export { toolHttpNode } from "./nodes/tool-http";
export { toolKbSearchNode } from "./nodes/tool-kb-search";
export { toolLeadCaptureNode } from "./nodes/tool-lead-capture";
export { toolOrderLookupNode } from "./nodes/tool-order-lookup";
export { toolOrderUpdateNode } from "./nodes/tool-order-update";
export { toolTicketCreateNode } from "./nodes/tool-ticket-create";
