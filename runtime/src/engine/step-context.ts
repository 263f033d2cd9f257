import type {
  CredentialVault,
  ExecutionContext,
  ExecutorEvent,
  Logger,
  ResumeInput,
  RunScope,
  TenantView,
  ToolInvoker,
} from "@flowdeck/node-library/runtime";
import { traceHttp } from "../telemetry/traced-http";
import { traceModels } from "../telemetry/traced-models";
import type { EngineDeps } from "./engine-deps";
import { evaluateExpression, renderTemplate } from "./scope";
import type { StepRequest } from "./step-request";

/**
 * An executor's context for one try of a step. A class, not an object literal: a literal with getters and
 * optional members spread into it was built member by member on V8's slow path for every step, while a class
 * instance has one shape. Models, the HTTP client and the domain services are built on first use: most steps
 * (start, set, condition, end) never touch them. `render`, `evaluate` and `emit` stay own functions, so an
 * executor that takes them off the context (`const { render } = ctx`) still works.
 */
export class StepContext implements ExecutionContext {
  readonly log: Logger;
  readonly tenant: TenantView;
  readonly runId: string;
  readonly stepId: string;
  readonly idempotencyKey: string;
  readonly node: { readonly name: string; readonly type: string };
  readonly scope: RunScope;
  readonly tools: ToolInvoker;
  readonly render: ExecutionContext["render"];
  readonly evaluate: ExecutionContext["evaluate"];
  readonly emit: (event: ExecutorEvent) => void;
  // Present only when they apply, as executors test for them (`"resume" in ctx` as well as `ctx.resume`).
  declare readonly credentials?: CredentialVault;
  declare readonly resume?: ResumeInput;
  private builtModels: ExecutionContext["models"] | undefined;
  private builtHttp: ExecutionContext["http"] | undefined;
  private builtServices: ExecutionContext["services"] | undefined;

  constructor(
    request: StepRequest,
    readonly attempt: number,
    private readonly deps: EngineDeps,
    readonly signal: AbortSignal,
  ) {
    const { scope, stepId } = request;
    this.log = deps.log;
    this.tenant = request.tenant;
    this.runId = request.runId;
    this.stepId = stepId;
    this.idempotencyKey = `${request.runId}:${stepId}`;
    this.node = { name: request.node.name, type: request.node.type };
    this.scope = scope;
    this.tools = request.tools;
    this.render = (template, extra) => renderTemplate(template, scope, extra);
    this.evaluate = (expression, extra) => evaluateExpression(expression, scope, extra);
    this.emit = (event) => request.events.emit(stepId, event);
    if (deps.credentials)
      (this as { credentials?: CredentialVault }).credentials = deps.credentials(this.tenant.id);
    if (request.resume) (this as { resume?: ResumeInput }).resume = request.resume;
  }

  get models(): ExecutionContext["models"] {
    return (this.builtModels ??= traceModels(this.deps.models(this.tenant.id)));
  }

  get http(): ExecutionContext["http"] {
    return (this.builtHttp ??= traceHttp(this.deps.http(this.tenant.id)));
  }

  get services(): ExecutionContext["services"] {
    return (this.builtServices ??= this.deps.services(this.tenant.id, {
      runId: this.runId,
      // The run's channel: a run's conversation view is made with it (new-run.ts) and memory cannot shadow it.
      channel: this.scope.conversation.channel,
    }));
  }
}
