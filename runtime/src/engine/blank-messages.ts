import type { ExecutionResult } from "@flowdeck/node-library/runtime";
import type { WorkflowNode } from "@flowdeck/schemas";
import { ENGINE_ERRORS } from "./engine-errors";

/** The code of the note a step gets for a blank message it did not send. */
export const BLANK_MESSAGE_NOTE = "FD215";

/** A fact about a step worth a person's attention that did not fail it; kept in `details.notes`. */
export interface StepNote {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

const isBlank = (text: string): boolean => text.trim() === "";

function blankMessageNote(node: WorkflowNode): StepNote {
  let message = "This step's message was blank, so nothing was sent.";
  if (node.type === "reply") {
    const quickReplies = node.config?.quick_replies;
    // Buttons are offered under a message (a reply frame's `choices`); without one they go unsent too.
    message =
      Array.isArray(quickReplies) && quickReplies.length > 0
        ? "The reply's text was blank, so nothing was sent; its quick replies were left out too, as buttons need a message to go with."
        : "The reply's text was blank, so nothing was sent.";
  } else if (node.type === "agent") {
    message = "The model's answer was blank, so nothing was sent.";
  }
  return { code: BLANK_MESSAGE_NOTE, message, hint: ENGINE_ERRORS[BLANK_MESSAGE_NOTE] };
}

/**
 * The step's result without its blank messages (empty or whitespace only), which would reach the customer as an
 * empty chat bubble: a template that rendered nothing (`{{ vars.missing }}`), a version published before blank
 * required text was refused (FD111), a model that answered only whitespace. One place for every node type,
 * built-in or from a package, since every message a step sends passes here. The step's `details.notes` says what
 * was left out and why, for the trace. A result without blank messages comes back as it was.
 */
export function withoutBlankMessages(node: WorkflowNode, result: ExecutionResult): ExecutionResult {
  const messages = result.messages;
  if (messages === undefined || !messages.some(isBlank)) return result;
  const earlier = result.details?.notes;
  const notes = [...(Array.isArray(earlier) ? earlier : []), blankMessageNote(node)];
  const sent = messages.filter((text) => !isBlank(text));
  // Buttons ride on the last message sent; with none left they have nothing to go with.
  const { choices, ...rest } = result;
  return {
    ...rest,
    ...(sent.length > 0 && choices !== undefined ? { choices } : {}),
    messages: sent,
    details: { ...result.details, notes },
  };
}
