import type { RunEvent } from "@flowdeck/runtime";
import { NON_BLANK_PATTERN } from "@flowdeck/schemas";
import Type, { type Static } from "typebox";
import { ALLOWED_KEYWORD } from "../kit/body-problem";
import { createBodyAjv } from "../kit/validate-body";
import { DEFAULT_CUSTOMER_FALLBACK_TEXT, MAX_MESSAGE_CHARS } from "./chat-options";

/**
 * The chat protocol (JSON text frames). Client → server: `message` (a customer's text, optionally naming the
 * conversation and carrying the client's id for it), `open` (the chat opened: a new conversation, greeted) and
 * `resume` (join a conversation and receive what was missed since `after`). Server → client:
 * `ready`, `typing`, `token` (streamed model output), `step` (staff test runs only), `reply`, `handoff`, `error`,
 * and `received` (a message with an id is stored: the client may stop sending it again).
 */
const ID_WORDS = "use letters, digits, - and _ only";
const ConversationId = Type.String({
  minLength: 8,
  maxLength: 100,
  pattern: "^[A-Za-z0-9_-]+$",
  [ALLOWED_KEYWORD]: ID_WORDS,
});
/** The client's id of a message: a copy sent again after a dropped socket is taken once (message-claims.ts). */
const MessageId = Type.String({
  minLength: 8,
  maxLength: 100,
  pattern: "^[A-Za-z0-9_-]+$",
  [ALLOWED_KEYWORD]: ID_WORDS,
});

export const ClientFrame = Type.Union([
  // The chat opened (the widget's panel): starts a conversation and answers with its greeting, if the flow has
  // one, before the customer writes anything. Ignored in a session that is already in a conversation.
  Type.Object({ type: Type.Literal("open") }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal("message"),
      text: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_CHARS }),
      conversationId: Type.Optional(ConversationId),
      id: Type.Optional(MessageId),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("resume"),
      conversationId: ConversationId,
      /** ISO time of the last item the client has; absent = everything. */
      after: Type.Optional(Type.String({ format: "date-time" })),
    },
    { additionalProperties: false },
  ),
]);
export type ClientFrame = Static<typeof ClientFrame>;

export const ChatMessageBody = Type.Object(
  {
    // Spaces alone would start a run on nothing; refused as blank, in words (body-problem.ts).
    text: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_CHARS, pattern: NON_BLANK_PATTERN }),
    conversationId: Type.Optional(ConversationId),
    /** The client's id of this message: a retry of a request whose answer was lost is refused (409 FD376). */
    id: Type.Optional(MessageId),
  },
  { additionalProperties: false },
);
export type ChatMessageBody = Static<typeof ChatMessageBody>;

const checkClientFrame = createBodyAjv().compile(ClientFrame);

/** The frame, or undefined when the text is not JSON or not one of the client frames. */
export function parseClientFrame(text: string): ClientFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return checkClientFrame(value) ? (value as ClientFrame) : undefined;
}

export type ReplyAuthor = "bot" | "agent";

export type ServerFrame =
  | { type: "ready"; conversationId?: string; staff: boolean }
  | { type: "typing"; conversationId: string; on: boolean }
  | { type: "token"; conversationId: string; runId: string; stepId: string; text: string }
  | {
      type: "step";
      conversationId: string;
      runId: string;
      event: string;
      data: Record<string, unknown>;
      at: string;
    }
  | {
      type: "reply";
      conversationId: string;
      id: string;
      author: ReplyAuthor;
      text: string;
      at: string;
      /** Answers offered as buttons (an ask's choices, a reply's quick replies); a click sends the label. */
      choices?: string[];
    }
  | { type: "handoff"; conversationId: string; runId: string; reason: string; at: string }
  /** A person handed the conversation back to the flow (inbox); the widget tells the customer. */
  | { type: "handback"; conversationId: string; runId: string; resolved: boolean; at: string }
  /** The message with this client id is stored (or was before: a copy sent again); it goes to `conversationId`. */
  | { type: "received"; id: string; conversationId: string }
  /** `id`: the message it refuses, when the client gave it one (sending it again would be refused again). */
  | { type: "error"; code: string; message: string; conversationId?: string; id?: string };

/** Id of a bot reply: stable between the live stream and the catch-up from the event log, so clients dedupe. */
export function replyId(runId: string, stepId: string, index: number): string {
  return `${runId}|${stepId}|${index}`;
}

const STEP_EVENTS = new Set([
  "step.started",
  "step.completed",
  "step.failed",
  "step.retrying",
  "condition.failed",
  "run.started",
  "run.resumed",
]);
const SETTLED = new Set(["run.waiting", "run.handoff", "run.completed", "run.failed", "run.cancelled"]);

/**
 * Turns one run's events (one committed batch, or a page of the log) into frames. `staff` adds the step trace.
 * `counters` numbers the messages of a step whose events carry no `index` (logged before the engine kept one;
 * read from the run's start, as the log is). A failed run is an `error` frame with its code for staff, and for a
 * customer a bot reply with `fallbackText` (id `<run>|run.failed|0`, the same live and in the catch-up): a code
 * is for staff (issue 16).
 */
export function framesForEvents(
  conversationId: string,
  runId: string,
  events: readonly RunEvent[],
  staff: boolean,
  counters: Map<string, number> = new Map(),
  fallbackText: string = DEFAULT_CUSTOMER_FALLBACK_TEXT,
): ServerFrame[] {
  const frames: ServerFrame[] = [];
  for (const event of events) {
    const data = event.data;
    const stepId = typeof data.stepId === "string" ? data.stepId : "";
    if (event.type === "token") {
      frames.push({ type: "token", conversationId, runId, stepId, text: String(data.text ?? "") });
    } else if (event.type === "message.sent") {
      // The engine numbers a step's messages across the run's activations (an ask asking again), so a live batch,
      // the log and every relayer derive the same id. Events logged before it did are counted here.
      const index = typeof data.index === "number" ? data.index : (counters.get(stepId) ?? 0);
      counters.set(stepId, index + 1);
      const text = String(data.text ?? "");
      // The engine sends no blank message (its step notes FD215), but runs logged before it did: no empty bubble.
      if (text.trim() === "") continue;
      const choices = choicesOf(data.choices);
      frames.push({
        type: "reply",
        conversationId,
        id: replyId(runId, stepId, index),
        author: "bot",
        text,
        at: event.at,
        ...(choices ? { choices } : {}),
      });
    } else if (event.type === "run.handoff") {
      frames.push({
        type: "handoff",
        conversationId,
        runId,
        reason: String(data.reason ?? ""),
        at: event.at,
      });
    } else if (event.type === "run.failed" && !staff) {
      const id = replyId(runId, "run.failed", 0);
      frames.push({ type: "reply", conversationId, id, author: "bot", text: fallbackText, at: event.at });
    } else if (event.type === "run.failed") {
      const error = (data.error ?? {}) as { code?: unknown };
      frames.push({
        type: "error",
        conversationId,
        code: String(error.code ?? "FD200"),
        message: "Sorry, something went wrong on our side. Please try again.",
      });
    } else if (staff && (STEP_EVENTS.has(event.type) || SETTLED.has(event.type))) {
      frames.push({ type: "step", conversationId, runId, event: event.type, data, at: event.at });
    }
    if (SETTLED.has(event.type)) frames.push({ type: "typing", conversationId, on: false });
  }
  return frames;
}

/** A logged message's buttons: labels only, none when the event has no list of text (events before buttons). */
function choicesOf(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const labels = value.filter((label): label is string => typeof label === "string" && label.trim() !== "");
  return labels.length > 0 ? labels : undefined;
}
