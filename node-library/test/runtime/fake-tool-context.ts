import type { DomainServices, ExecutionContext, RunScope } from "../../src/runtime/index";

/** Every call a fake service received, in order. */
export type ServiceCall = { readonly method: keyof DomainServices; readonly args: readonly unknown[] };

/**
 * A small ExecutionContext for the domain tool executors. `render` substitutes `{{ dotted.path }}` from the
 * scope (enough for these executors, which only pass rendered text on); services are the given fakes, and
 * every call is recorded. Anything a tool executor must not touch (models, http, tools) throws.
 */
export function fakeToolContext(
  services: Partial<DomainServices>,
  scope: Partial<RunScope> = {},
): { ctx: ExecutionContext; calls: ServiceCall[] } {
  const calls: ServiceCall[] = [];
  const fullScope: RunScope = {
    input: {},
    vars: {},
    nodes: {},
    conversation: { id: "conv-1", channel: "test", history: [] },
    tenant: { id: "tenant-1", name: "Acme Outfitters" },
    ...scope,
  };
  const recorded = new Proxy({} as DomainServices, {
    get(_target, method: keyof DomainServices) {
      const implementation = services[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
      return (...args: unknown[]) => {
        calls.push({ method, args });
        if (!implementation) throw new Error(`unexpected call to services.${String(method)}`);
        return implementation(...args);
      };
    },
  });
  const forbidden = (what: string) => () => {
    throw new Error(`a domain tool must not use ${what}`);
  };
  const ctx: ExecutionContext = {
    signal: new AbortController().signal,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    tenant: fullScope.tenant,
    runId: "run-1",
    stepId: "main/tool#1",
    idempotencyKey: "run-1:main/tool#1",
    node: { name: "tool", type: "tool" },
    attempt: 1,
    scope: fullScope,
    models: { provider: "none", offline: true, complete: forbidden("models") },
    http: { request: forbidden("http") },
    services: recorded,
    async render(template) {
      return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, path: string) => {
        const value = path
          .split(".")
          .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], fullScope);
        return value === undefined || value === null ? "" : String(value);
      });
    },
    evaluate: forbidden("evaluate"),
    emit: forbidden("emit"),
    tools: { describe: () => [], invoke: forbidden("tools") },
  };
  return { ctx, calls };
}
