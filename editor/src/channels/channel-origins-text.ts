// Allowed Origins are edited as text, one per line (commas and spaces also separate them). The server
// normalises and checks each one (exact scheme://host[:port]; no wildcards), so nothing is guessed here.
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((origin) => origin.trim())
    .filter(Boolean);
}
