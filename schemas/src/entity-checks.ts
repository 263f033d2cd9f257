import type { Finding } from "./finding";
import { regexProblem } from "./regex";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An ask's `entity` must name an entity the flow declares (FD139): an undeclared one is never found, so the
 * question would be asked again forever. A pattern entity's `pattern` runs on RE2 against every customer message, so a pattern RE2 refuses
 * (backreferences, lookaround) is FD137 at the pattern, as for `matches()`; the schema checks the rest.
 */
export function checkEntities(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const declared = isRecord(data.entities) ? data.entities : {};
  (Array.isArray(data.nodes) ? data.nodes : []).forEach((node: unknown, index) => {
    if (!isRecord(node) || node.type !== "ask" || !isRecord(node.config)) return;
    const entity = node.config.entity;
    if (typeof entity !== "string" || Object.hasOwn(declared, entity)) return;
    const names = Object.keys(declared);
    findings.push({
      code: "FD139",
      message:
        `The ask "${String(node.name)}" expects the entity "${entity}", which this flow does not declare under entities` +
        (names.length > 0 ? ` (declared: ${names.join(", ")}).` : "."),
      path: ["nodes", index, "config", "entity"],
    });
  });
  for (const [name, entity] of Object.entries(declared)) {
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
