/**
 * What a customer types for an order number, turned into the ids to try, most literal first:
 * "#ao-10492 " → ["AO-10492"], "my order is ao10492" → ["MY ORDER IS AO10492", "AO-10492"].
 * Only the shop's own format (letters, optional dash, digits) is extracted from surrounding words, so an id
 * in another format still matches exactly, just not inside a sentence.
 */
export function orderIdCandidates(raw: string): string[] {
  const literal = raw.trim().replace(/^#\s*/, "").toUpperCase();
  if (literal === "") return [];
  const candidates = [literal];
  const embedded = /(?:^|[^A-Z0-9])([A-Z]{1,5})\s*-?\s*(\d{3,12})(?![0-9])/.exec(literal);
  if (embedded) {
    const normalised = `${embedded[1]}-${embedded[2]}`;
    if (normalised !== literal) candidates.push(normalised);
  }
  return candidates;
}
