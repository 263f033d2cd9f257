// What an answer box may send to a customer: text with something besides spaces and line breaks. Blank text would
// show the customer an empty bubble; the server refuses it too (400 FD300, "… cannot be blank", NON_BLANK_PATTERN
// on the inbox bodies), and JavaScript's trim() drops exactly the characters that pattern's \S does not match.

/** The text to send, without its surrounding spaces, or undefined when there is nothing to send. */
export function sendableText(draft: string): string | undefined {
  const text = draft.trim();
  return text === "" ? undefined : text;
}
