export type {
  ChatMessage,
  ChatTurn,
  ConversationView,
  CredentialVault,
  DomainServices,
  EmbeddingRequest,
  EmbeddingResponse,
  ExecutionContext,
  ExecutorEvent,
  HttpRequest,
  HttpResponse,
  KbHit,
  LeadInput,
  Logger,
  ModelCallOptions,
  ModelGateway,
  ModelRequest,
  ModelResponse,
  Order,
  OrderAction,
  OrderUpdate,
  ResumeInput,
  RetryableFailure,
  RunScope,
  SafeHttpClient,
  TenantView,
  TicketInput,
  TokenUsage,
  ToolCall,
  ToolCallResult,
  ToolInvoker,
  ToolSpec,
} from "./context";
export type { ExecutionResult, NodeExecutor, Suspension } from "./executor";
export { builtinExecutors } from "./builtin-executors";
export type { NodePackage, NodePackageFactory } from "./node-package";
export { routeMessage, DEFAULT_CONFIDENCE_THRESHOLD } from "./router/route-message";
export type { RouteResult, RouterConfig } from "./router/route-message";
export { ToolHttpError, TOOL_HTTP_ERRORS, type ToolHttpErrorCode } from "./executors/tool-http";
