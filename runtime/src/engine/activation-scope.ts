import type { EntityDeclaration } from "@flowdeck/schemas";
import type { ResumeInput, RunScope, TenantView } from "@flowdeck/node-library/runtime";
import { extractEntities, extractFromHistory } from "./entity-extraction";
import type { RunJournal } from "./run-journal";
import type { FlowFrame } from "./run-types";

type Entities = Readonly<Record<string, EntityDeclaration>> | undefined;

/**
 * What a step of `frame` reads: `{ input, vars, entities, nodes, conversation, tenant }`. `entities` are the
 * frame's flow's declared entities as found in this run's customer messages (the latest value of each);
 * `conversation` is the conversation's memory (`conversation.order_id` …) under its own fields (id, channel,
 * history, last_message, greeted), which memory cannot shadow.
 */
export function activationScope(
  frame: FlowFrame,
  journal: RunJournal,
  tenant: TenantView,
  entities: Entities,
): RunScope {
  const { memory, ...conversation } = journal.conversation;
  return {
    input: frame.input,
    vars: frame.vars,
    entities: extractFromHistory(entities, conversation.history),
    nodes: frame.outputs,
    conversation: { ...memory, ...conversation, last_message: journal.lastCustomerMessage() },
    tenant,
  };
}

/** A message that answers a waiting step carries the entities found in it (an ask's `entity` check). */
export function resumeWithEntities(
  input: ResumeInput | undefined,
  entities: Entities,
): ResumeInput | undefined {
  if (input?.kind !== "message" || !entities) return input;
  return { ...input, entities: extractEntities(entities, input.text) };
}
