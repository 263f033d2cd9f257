import { step, type Conversation } from "./golden-kit";

// What both golden files of customer_support_workflow read (customer_support_workflow.test.ts and
// customer_support_small_talk.test.ts).

/** The flow's opening message, the first assistant turn of every conversation. */
export const GREETING = "Hi there! Welcome to Acme Outfitters. How can I help you today?";

/** The router's decision as recorded on its step. */
export function routed(c: Conversation) {
  const router = step(c, "classify_intent#1");
  return { ...(router.output as { route: string; tier: string }), details: router.details };
}
