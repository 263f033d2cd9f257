import type { EntityDeclaration } from "@flowdeck/schemas";
import type { ChatTurn, ResumeInput, RunScope, TenantView } from "@flowdeck/node-library/runtime";
import { extractEntities, extractFromHistory } from "./entity-extraction";
import type { RunJournal } from "./run-journal";
import type { FlowFrame } from "./run-types";

type Entities = Readonly<Record<string, EntityDeclaration>> | undefined;
type Found = ReturnType<typeof extractFromHistory>;

/**
 * Entities found in a history, per flow's declarations. The journal replaces the history array whenever a
 * message is added, so steps between two messages (most of them) reuse one extraction: 3–6 µs per message with
 * the four built-in kinds, times every step and edge, would otherwise be paid again and again.
 */
const extracted = new WeakMap<readonly ChatTurn[], Map<Entities, Found>>();

function entitiesOf(entities: Entities, history: readonly ChatTurn[]): Found {
  let byFlow = extracted.get(history);
  if (!byFlow) extracted.set(history, (byFlow = new Map()));
  let found = byFlow.get(entities);
  if (!found) byFlow.set(entities, (found = extractFromHistory(entities, history)));
  return found;
}

/** A frame's scope, as built for the conversation it was built from (the journal replaces it on every change). */
interface BuiltScope {
  readonly conversation: RunJournal["conversation"];
  readonly tenant: TenantView;
  readonly entities: Entities;
  readonly scope: RunScope;
}

/**
 * Scopes per frame. `input`, `vars` and `nodes` are the frame's own objects, updated in place, so a scope stays
 * current until the conversation changes: a step and its edges read one scope instead of rebuilding the
 * conversation view (and searching the history for the last customer message) two or three times per step.
 */
const built = new WeakMap<FlowFrame, BuiltScope>();

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
  const known = built.get(frame);
  if (known?.conversation === journal.conversation && known.tenant === tenant && known.entities === entities)
    return known.scope;
  const { memory, remembered, ...conversation } = journal.conversation;
  const scope: RunScope = {
    input: frame.input,
    vars: frame.vars,
    entities: entitiesOf(entities, conversation.history),
    nodes: frame.outputs,
    conversation: { ...memory, ...remembered, ...conversation, last_message: journal.lastCustomerMessage() },
    tenant,
  };
  built.set(frame, { conversation: journal.conversation, tenant, entities, scope });
  return scope;
}

/** A message that answers a waiting step carries the entities found in it (an ask's `entity` check). */
export function resumeWithEntities(
  input: ResumeInput | undefined,
  entities: Entities,
): ResumeInput | undefined {
  if (input?.kind !== "message" || !entities) return input;
  return { ...input, entities: extractEntities(entities, input.text) };
}
