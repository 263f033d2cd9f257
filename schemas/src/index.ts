export { TEMPLATE_MEDIA_TYPE, EXPRESSION_MEDIA_TYPE } from "./catalog";
export type { JsonSchema, NodeCatalog, NodeTypeInfo } from "./catalog";
export type {
  Workflow,
  WorkflowNode,
  WorkflowEdge,
  LayoutPosition,
  RetryPolicy,
  Priority,
  TriggerType,
  EntityDeclaration,
  TraceRetention,
  WorkflowSettings,
  EntityType,
} from "./workflow-types";
export { TEMPLATE_ROOTS, CONDITION_ROOTS, DEFAULT_PORT, ERROR_PORT } from "./workflow-types";
export {
  composeWorkflowSchema,
  WORKFLOW_SCHEMA_ID,
  IDENTIFIER_PATTERN,
  NON_BLANK_PATTERN,
  WORKFLOW_NAME_PATTERN,
} from "./workflow-schema";
export { PROBLEM_CODES } from "./problem-codes";
export type { ProblemCode, Severity } from "./problem-codes";
export type { Problem, PathSegment } from "./problem";
export { formatPath } from "./problem";
export { DEFAULT_LIMITS, FORBIDDEN_KEYS } from "./limits";
export type { LoadLimits } from "./limits";
export { loadWorkflowText, PARSE_OPTIONS } from "./load";
export type { LoadedWorkflow } from "./load";
export { SourceMap } from "./source-map";
export type { SourcePosition } from "./source-map";
export { createWorkflowValidator } from "./validate";
export type {
  CompiledSchemaCheck,
  ValidateOptions,
  ValidationResult,
  WorkflowValidator,
  ValidatorOptions,
} from "./validate";
export {
  celMessage,
  celProgram,
  compileCel,
  compileTemplate,
  findSingleBracePlaceholder,
} from "./expressions";
export type { CelProgram, Risk } from "./expressions";
export {
  createLiquid,
  FILE_TAGS,
  renderBounded,
  TEMPLATE_LIMITS,
  templateFileError,
  templateLimitError,
} from "./template-engine";
export { EvaluationLimitError, TemplateFileError } from "./evaluation-errors";
export { REGEX_LIMITS, re2FindAll, re2Matches, regexProblem } from "./regex";
export { CEL_RUN_LIMITS } from "./cel-budget";
export type { CelCost } from "./cel-bounds";
export { collectCodeFields } from "./code-fields";
export type { CodeField, CodeKind } from "./code-fields";
export type { CompileResult, Reference } from "./expressions";
export { createAjv } from "./ajv";
export { applyEdit } from "./document-edits";
export { checkEdgeOrder, alwaysMatches } from "./edge-order-checks";
export {
  BRANCH_ITEM_PREFIX,
  branchHandles,
  branchItems,
  branchRenameEdits,
  edgeBranch,
  edgeFromHandle,
  itemCondition,
} from "./branches";
export type { BranchHandle, BranchSpec, EdgeBranch } from "./branches";
export type { GraphEdit } from "./document-edits";
export { WorkflowEditError, EDIT_ERRORS } from "./edit-error";
export type { EditErrorCode } from "./edit-error";
export { saveWorkflowDocument, formatWorkflowText, CANONICAL_OPTIONS, commentsOf } from "./save";
export { diffWorkflows, fieldChanges } from "./workflow-diff";
export type { EdgeRef, FieldChange, WorkflowDiff } from "./workflow-diff";
