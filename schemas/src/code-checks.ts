import type { NodeCatalog } from "./catalog";
import { collectCodeFields, type CodeField } from "./code-fields";
import {
  compileCel,
  compileTemplate,
  findSingleBracePlaceholder,
  type Reference,
  type Risk,
} from "./expressions";
import type { Finding } from "./finding";
import { suggestName } from "./graph-checks";
import type { GraphView } from "./graph-view";
import type { PathSegment } from "./problem";
import { CONDITION_ROOTS, TEMPLATE_ROOTS } from "./workflow-types";

/** CEL in a node's config may also read `answer` (the customer's reply that an ask node validates). */
const CONFIG_EXPRESSION_ROOTS = [...TEMPLATE_ROOTS, "answer"] as const;

/**
 * Compiles every Liquid template and CEL expression of the flow (node config fields the schema marks, and edge
 * conditions) and checks that `nodes.X` names an existing node. Templates that read a name templates cannot
 * see draw a warning rather than an error: Liquid prints it as empty, which is rarely what was meant.
 */
export function checkCode(graph: GraphView, catalog: NodeCatalog): Finding[] {
  const findings: Finding[] = [];
  const names = [...graph.byName.keys()];
  for (const node of graph.nodes) {
    const info = node.type === undefined ? undefined : catalog.get(node.type);
    if (!info) continue;
    for (const field of collectCodeFields(info.configSchema, node.config, ["nodes", node.index, "config"])) {
      checkField(field, names, findings);
    }
  }
  for (const edge of graph.edges) {
    if (edge.condition === undefined) continue;
    checkField(
      { path: ["edges", edge.index, "condition"], text: edge.condition, kind: "expression" },
      names,
      findings,
      CONDITION_ROOTS,
    );
  }
  return findings;
}

function checkField(
  field: CodeField,
  names: readonly string[],
  findings: Finding[],
  celRoots: readonly string[] = CONFIG_EXPRESSION_ROOTS,
): void {
  if (field.kind === "expression") {
    const compiled = compileCel(field.text, celRoots);
    if (!compiled.ok) {
      findings.push({
        code: "FD130",
        message: `This condition is not valid CEL: ${compiled.message}.`,
        path: field.path,
        inner: compiled.at,
      });
      return;
    }
    checkReferences(compiled.references, field.path, names, findings, celRoots);
    addRisks(compiled.risks, field.path, findings);
    return;
  }
  const compiled = compileTemplate(field.text);
  if (!compiled.ok) {
    findings.push({
      code: compiled.code ?? "FD131",
      message: compiled.code ? compiled.message : `This template is not valid Liquid: ${compiled.message}.`,
      path: field.path,
      inner: compiled.at,
    });
    return;
  }
  addRisks(compiled.risks, field.path, findings);
  const placeholder = findSingleBracePlaceholder(field.text);
  if (placeholder) {
    const suggestion = (TEMPLATE_ROOTS as readonly string[]).includes(placeholder.name.split(".")[0] ?? "")
      ? placeholder.name
      : `input.${placeholder.name}`;
    findings.push({
      code: "FD134",
      message: `{${placeholder.name}} is printed as it is; to insert the value write {{ ${suggestion} }}.`,
      path: field.path,
      inner: placeholder.at,
    });
  }
  checkReferences(compiled.references, field.path, names, findings, TEMPLATE_ROOTS);
}

/** FD137 (a pattern RE2 refuses) is an error; FD138 warns of work that only the run's data bounds. */
function addRisks(risks: readonly Risk[], path: readonly PathSegment[], findings: Finding[]): void {
  for (const risk of risks) {
    findings.push({
      code: risk.code,
      message:
        risk.code === "FD138"
          ? `This may do unbounded work: ${risk.message}. It stops at Flowdeck's limits when it runs.`
          : `${risk.message}.`,
      path,
      inner: risk.at,
    });
  }
}

function checkReferences(
  references: readonly Reference[],
  path: readonly PathSegment[],
  names: readonly string[],
  findings: Finding[],
  roots: readonly string[],
): void {
  for (const reference of references) {
    if (reference.root === "nodes" && reference.name !== undefined && !names.includes(reference.name)) {
      findings.push({
        code: "FD132",
        message: `nodes.${reference.name} refers to a node that does not exist.${suggestName(reference.name, names)}`,
        path,
        inner: reference.at,
      });
    } else if (!roots.includes(reference.root)) {
      findings.push({
        code: "FD133",
        message: `"${reference.root}" is not something a template can read; use ${roots.join(", ")} (for example input.${reference.root}).`,
        path,
        inner: reference.at,
      });
    }
  }
}
