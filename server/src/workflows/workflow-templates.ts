import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWorkflowText, WORKFLOW_NAME_PATTERN } from "@flowdeck/schemas";

/**
 * The flows a workspace can start from: the seed's `workflows/*.yaml`, the same files the demo tenant is given
 * (demo/demo-tenant.ts publishes these for the demo tenant). A template's draft is the file's text byte for byte, comments
 * included, as an import of that file would store it.
 */
export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../workflows");

export interface WorkflowTemplate {
  /** The workflow name the template creates (its YAML `name`), also its id in the API. */
  readonly name: string;
  /** What the list shows, in words. */
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly nodeCount: number;
  /**
   * Other templates this one calls as subflows, directly or through one of them, in the order it first names
   * them. A subflow resolves by name, so each must exist in the workspace under exactly that name.
   */
  readonly subflows: readonly string[];
  readonly yaml: string;
}

/**
 * Titles and the order of the list: the router that uses the others first, then its parts, the one-node
 * example last. A file not named here still appears (after these, by name) with its name in words.
 */
const TITLES: ReadonlyArray<readonly [string, string]> = [
  ["customer_support_workflow", "Customer support router"],
  ["faq_handling", "FAQ answers"],
  ["order_management", "Order help"],
  ["technical_support", "Technical support"],
  ["complaint_handling", "Complaint handling"],
  ["lead_capture", "Sales lead capture"],
  ["example_workflow", "Simple AI assistant"],
];

const namePattern = new RegExp(WORKFLOW_NAME_PATTERN);

const words = (name: string) => {
  const text = name.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
};

interface ParsedFile {
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly nodeCount: number;
  readonly calls: readonly string[];
  readonly yaml: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The file's facts, or undefined when it does not load or has no valid name (it is not offered). */
function parseTemplate(yaml: string): ParsedFile | undefined {
  const { value } = loadWorkflowText(yaml);
  if (!isRecord(value) || typeof value.name !== "string" || !namePattern.test(value.name)) return undefined;
  const nodes = Array.isArray(value.nodes) ? value.nodes.filter(isRecord) : [];
  const calls = nodes.flatMap((node) =>
    node.type === "subflow" && isRecord(node.config) && typeof node.config.workflow === "string" ? [node.config.workflow] : [],
  );
  return {
    name: value.name,
    description: typeof value.description === "string" ? value.description : "",
    category: typeof value.category === "string" ? value.category : "",
    nodeCount: nodes.length,
    calls,
    yaml,
  };
}

/** Every template a file calls, through other templates too, each once; a call cycle ends where it began. */
function subflowsOf(name: string, byName: ReadonlyMap<string, ParsedFile>): string[] {
  const found: string[] = [];
  const visit = (current: string) => {
    for (const called of byName.get(current)?.calls ?? []) {
      if (called === name || found.includes(called) || !byName.has(called)) continue;
      found.push(called);
      visit(called);
    }
  };
  visit(name);
  return found;
}

async function readTemplates(dir: string): Promise<WorkflowTemplate[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => file.endsWith(".yaml")).sort();
  } catch (error) {
    // A deployment without the seed folder offers no templates rather than failing the list.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const byName = new Map<string, ParsedFile>();
  for (const file of files) {
    const parsed = parseTemplate(await readFile(join(dir, file), "utf8"));
    if (parsed && !byName.has(parsed.name)) byName.set(parsed.name, parsed);
  }
  const rank = (name: string) => {
    const index = TITLES.findIndex(([known]) => known === name);
    return index === -1 ? TITLES.length : index;
  };
  return [...byName.values()]
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))
    .map((file) => ({
      name: file.name,
      title: TITLES.find(([known]) => known === file.name)?.[1] ?? words(file.name),
      description: file.description,
      category: file.category,
      nodeCount: file.nodeCount,
      subflows: subflowsOf(file.name, byName),
      yaml: file.yaml,
    }));
}

const cache = new Map<string, Promise<WorkflowTemplate[]>>();

/**
 * The templates in `dir`, read and parsed once per process (the files ship with the server and do not change
 * while it runs). A failed read is not kept, so the next request tries again.
 */
export function workflowTemplates(dir: string = TEMPLATES_DIR): Promise<WorkflowTemplate[]> {
  let pending = cache.get(dir);
  if (!pending) {
    pending = readTemplates(dir);
    cache.set(dir, pending);
    pending.catch(() => cache.delete(dir));
  }
  return pending;
}
