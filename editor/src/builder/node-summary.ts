// The one line under a card's type that says what the node does, from its config. A new workflow is start → an
// End named "reply" whose config says "Hi! How can I help you today?", and its card read only "End": someone
// who does not read YAML could not see the greeting without opening the inspector.

/** Longer text is cut here (with "…"); the card cuts it again to its width, and the tooltip has this much. */
export const NODE_SUMMARY_MAX_CHARS = 80;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The config field whose text is what the customer reads, per node type. */
const MESSAGE_FIELD: Readonly<Record<string, string>> = {
  reply: "text",
  end: "reply",
  ask: "prompt",
};

/** Whitespace (new lines in a block scalar too) read as one space; `undefined` for blank or non-text values. */
function oneLine(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.replace(/\s+/g, " ").trim();
  return text === "" ? undefined : text;
}

function cut(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join("")}…` : text;
}

/**
 * The card's summary line: the message a Reply sends, an Ask's question, an End's last reply (else its
 * outcome), quoted and on one line; `undefined` for other types and for a node whose config says nothing yet.
 */
export function nodeSummary(
  type: string,
  config: unknown,
  maxChars: number = NODE_SUMMARY_MAX_CHARS,
): string | undefined {
  const field = MESSAGE_FIELD[type];
  if (field === undefined || !isRecord(config)) return undefined;
  const message = oneLine(config[field]);
  // Two characters go to the quotes.
  if (message !== undefined) return `“${cut(message, Math.max(1, maxChars - 2))}”`;
  const outcome = type === "end" ? oneLine(config.outcome) : undefined;
  return outcome === undefined ? undefined : cut(`Outcome: ${outcome}`, maxChars);
}
