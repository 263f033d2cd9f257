import type { askNode } from "../../nodes/ask";
import type { NodeExecutor } from "../executor";

/**
 * First visit: sends the question and suspends the run, unless its `entity` is already known (found in this
 * run's messages or kept in the conversation's memory), in which case the known value is the answer. Re-entered
 * with the customer's message: the answer must contain the `entity` (its value is stored) and pass `validation`
 * (CEL, sees `answer`), else the node asks again with `retry_prompt`.
 */
export const askExecutor: NodeExecutor<typeof askNode> = async (ctx, config) => {
  const choices = config.choices ?? [];
  // The buttons go with every asking of the question, the first and each retry.
  const offered = choices.length > 0 ? { choices } : {};
  if (ctx.resume?.kind !== "message") {
    const known =
      config.entity === undefined ? undefined : knownEntity(ctx.scope, config.entity, visitOf(ctx.stepId));
    if (known !== undefined) {
      return {
        output: { answer: known.value, skipped: true, source: known.source },
        port: "out",
        vars: { [config.variable]: known.value },
        details: { skipped: known.source },
      };
    }
    const prompt = await ctx.render(config.prompt);
    return { output: { prompt }, messages: [prompt], ...offered, suspend: { kind: "ask", choices } };
  }
  let answer = ctx.resume.text.trim();
  if (config.entity !== undefined) {
    const found = text(ctx.resume.entities?.[config.entity]);
    if (found === undefined) {
      const retry = await ctx.render(
        config.retry_prompt ?? missingEntityPrompt(config.entity, config.prompt),
      );
      return {
        output: { prompt: retry, rejected: answer, missing: config.entity },
        messages: [retry],
        ...offered,
        suspend: { kind: "ask", choices },
      };
    }
    answer = found;
  }
  if (config.validation !== undefined && ctx.evaluate(config.validation, { answer }) !== true) {
    const retry = await ctx.render(config.retry_prompt ?? config.prompt);
    return {
      output: { prompt: retry, rejected: answer },
      messages: [retry],
      ...offered,
      suspend: { kind: "ask", choices },
    };
  }
  return { output: { answer }, port: "out", vars: { [config.variable]: answer } };
};

/** The entity's value when the question need not be asked: first visit, found in a message or remembered. */
function knownEntity(
  scope: { readonly entities?: Readonly<Record<string, unknown>>; readonly conversation: object },
  entity: string,
  visit: number | undefined,
): { value: string; source: "message" | "conversation" } | undefined {
  // A later visit is a loop back (the number given was not found): the known value is the one that failed.
  if (visit !== undefined && visit > 1) return undefined;
  const fromMessage = text(scope.entities?.[entity]);
  if (fromMessage !== undefined) return { value: fromMessage, source: "message" };
  const remembered = text((scope.conversation as Readonly<Record<string, unknown>>)[entity]);
  return remembered === undefined ? undefined : { value: remembered, source: "conversation" };
}

/** The node's visit in its frame, from the step id (`main/ask_order_id#2` → 2). */
function visitOf(stepId: string): number | undefined {
  const match = /#(\d+)$/.exec(stepId);
  return match ? Number(match[1]) : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** When the flow gave no retry_prompt: say what is missing, then ask the question again. */
function missingEntityPrompt(entity: string, prompt: string): string {
  const what = entity.replace(/_/g, " ");
  return `Sorry, that doesn't look like a valid ${what}. ${prompt}`;
}
