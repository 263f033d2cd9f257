// What the template cards and the toast after a use say, kept apart from the markup so the words are tested.
import type { TemplateUse, WorkflowTemplate } from "../api/templates-api";

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "15 nodes · includes 5 subflows". */
export function templateFacts(template: WorkflowTemplate): string {
  const nodes = count(template.nodeCount, "node");
  return template.subflows.length > 0 ? `${nodes} · includes ${count(template.subflows.length, "subflow")}` : nodes;
}

/**
 * Why the plan does not leave room for the template, or undefined when it does. The server refuses the same
 * use (402 FD350); saying it on the card spares a click that cannot work.
 */
export function templateRoomProblem(
  template: WorkflowTemplate,
  list: { readonly plan: string; readonly workflowsLeft: number | null },
): string | undefined {
  const left = list.workflowsLeft;
  if (left === null || template.workflowsToCreate <= left) return undefined;
  const needs = `Needs room for ${count(template.workflowsToCreate, "workflow")}`;
  const room = left === 0 ? "has no room for more" : `has room for ${left} more`;
  return `${needs}; the ${list.plan} plan ${room}.`;
}

/**
 * Before publishing a flow that calls subflows, those must be published: the runtime runs a subflow's latest
 * published version, and a conversation sent to a subflow that has none fails that step, so the support router
 * hands it to a person (server/test/workflow-templates.test.ts shows it).
 */
export const SUBFLOWS_FIRST =
  "Publish the subflows before the flow that calls them: until a subflow is published, conversations sent to it go to a person instead.";

/** Said where templates are offered: nothing goes live by using one. */
export const TEMPLATES_ARE_DRAFTS =
  "A template is added as a draft: look it over on the canvas, change what you like, then publish it.";

/** The toast after a use: what was created (as drafts), what was kept, and what to publish first. */
export function templateUsedNotice(
  template: WorkflowTemplate,
  used: TemplateUse,
): { readonly text: string; readonly lines: readonly string[] } {
  const [main, ...subflows] = used.items;
  const lines: string[] = [];
  if (subflows.length > 0) lines.push(`Its subflows, also drafts: ${subflows.map((w) => w.name).join(", ")}.`);
  if (used.reused.length > 0) {
    lines.push(`Kept ${used.reused.join(", ")}: this workspace already had ${used.reused.length === 1 ? "it" : "them"}.`);
  }
  if (template.subflows.length > 0) lines.push(SUBFLOWS_FIRST);
  const draft = main?.name ?? template.name;
  return { text: `Added ${template.title} as the draft ${draft}: publish it once it is ready.`, lines };
}
