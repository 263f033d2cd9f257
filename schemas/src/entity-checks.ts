import type { Finding } from "./finding";
import { regexProblem } from "./regex";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A pattern entity's `pattern` runs on RE2 against every customer message, so a pattern RE2 refuses
 * (backreferences, lookaround) is FD137 at the pattern, as for `matches()`; the schema checks the rest.
 */
export function checkEntities(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  if (!isRecord(data.entities)) return findings;
  for (const [name, entity] of Object.entries(data.entities)) {
    if (!isRecord(entity) || typeof entity.pattern !== "string") continue;
    const problem = regexProblem(entity.pattern);
    if (problem) {
      findings.push({
        code: "FD137",
        message: `The pattern of entity "${name}" cannot be used: ${problem}.`,
        path: ["entities", name, "pattern"],
      });
    }
  }
  return findings;
}
