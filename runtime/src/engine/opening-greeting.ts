import type { Workflow } from "@flowdeck/schemas";
import type { TenantView } from "@flowdeck/node-library/runtime";
import { renderTemplate } from "./scope";
import { indexWorkflow } from "./workflow-index";

/**
 * The greeting a chat shows when it opens, before the customer writes anything: the workflow's start node
 * `greeting`, rendered like the start step would (no input yet, the flow's initial `vars`). Undefined when the
 * flow has none. The run that the customer's first message starts is told (`StartRunRequest.greeted`), so its
 * start step does not greet a second time. Throws EngineError FD211/FD213/FD214 for a template that fails.
 */
export async function renderOpeningGreeting(
  workflow: Workflow,
  tenant: TenantView,
  conversation: { readonly id: string; readonly channel: string },
): Promise<string | undefined> {
  const config = indexWorkflow(workflow).start.config as { greeting?: unknown } | undefined;
  if (typeof config?.greeting !== "string") return undefined;
  const text = await renderTemplate(config.greeting, {
    input: {},
    vars: { ...(workflow.vars ?? {}) },
    nodes: {},
    conversation: { ...conversation, history: [] },
    tenant,
  });
  return text.trim() === "" ? undefined : text;
}
