import type { ErrorObject } from "ajv";
import { createAjv } from "./ajv";
import type { NodeCatalog } from "./catalog";
import { checkCode } from "./code-checks";
import { checkEdgeOrder } from "./edge-order-checks";
import { checkEntities } from "./entity-checks";
import { locateFinding, type Finding } from "./finding";
import { checkGraph } from "./graph-checks";
import { graphView } from "./graph-view";
import { fastParse } from "./fast-parse";
import { DEFAULT_LIMITS, utf8ByteLength, type LoadLimits } from "./limits";
import { loadWorkflowText, type LoadedWorkflow } from "./load";
import { compareProblems, type Problem } from "./problem";
import { schemaFindings } from "./schema-errors";
import { composeWorkflowSchema } from "./workflow-schema";
import type { Workflow } from "./workflow-types";

export interface ValidationResult {
  /** Every problem found, in file order. */
  readonly problems: readonly Problem[];
  readonly errorCount: number;
  readonly warningCount: number;
  /** The document as data (legacy fields removed, configs migrated) when it has no errors. */
  readonly workflow: Workflow | undefined;
  readonly loaded: LoadedWorkflow;
}

/** What the text is: a draft (the default, every rule an error) or a published version (see `Finding.draftsOnly`). */
export interface ValidateOptions {
  readonly published?: boolean;
}

export interface WorkflowValidator {
  validate(text: string, options?: ValidateOptions): ValidationResult;
  validateLoaded(loaded: LoadedWorkflow, options?: ValidateOptions): ValidationResult;
  /** The JSON Schema this validator enforces (the published `workflow.schema.json`). */
  readonly schema: Record<string, unknown>;
}

/**
 * A schema check already compiled from `composeWorkflowSchema(catalog)` with `createAjv()`'s options — Ajv's
 * `ValidateFunction` or its standalone code generated at build time. Errors land in `errors` as Ajv leaves them.
 */
export interface CompiledSchemaCheck {
  (data: unknown): boolean;
  errors?: readonly ErrorObject[] | null;
}

export interface ValidatorOptions {
  readonly limits?: LoadLimits;
  /**
   * Used instead of compiling the schema here. Ajv compiles with `new Function`, which a page with a strict
   * Content Security Policy (`script-src 'self'`) refuses; the editor passes the standalone check that
   * `pnpm generate:schema` writes for the built-in catalog. It must come from this catalog's composed schema,
   * or the problems will describe another catalog.
   */
  readonly compiledSchema?: CompiledSchemaCheck;
}

const LEGACY_NEXT_NODE = "next_node";

/**
 * Compiles the catalog's schema once (unless `options.compiledSchema` brings it compiled); `validate` is then
 * cheap enough to run on every keystroke.
 */
export function createWorkflowValidator(
  catalog: NodeCatalog,
  options: ValidatorOptions = {},
): WorkflowValidator {
  const schema = composeWorkflowSchema(catalog);
  const check: CompiledSchemaCheck = options.compiledSchema ?? createAjv().compile(schema);
  const nodeTypes = catalog.list().map((info) => info.type);
  const limits = options.limits ?? DEFAULT_LIMITS;

  function validateLoaded(loaded: LoadedWorkflow, options: ValidateOptions = {}): ValidationResult {
    const problems: Problem[] = [...loaded.problems];
    if (loaded.value !== undefined) {
      const { data, findings } = checkData(loaded.value as Record<string, unknown>, options);
      for (const finding of findings) problems.push(locateFinding(finding, loaded.sourceMap));
      problems.sort(compareProblems);
      const errorCount = problems.filter((p) => p.severity === "error").length;
      return {
        problems,
        errorCount,
        warningCount: problems.length - errorCount,
        workflow: errorCount === 0 ? (data as unknown as Workflow) : undefined,
        loaded,
      };
    }
    problems.sort(compareProblems);
    const errorCount = problems.filter((p) => p.severity === "error").length;
    return { problems, errorCount, warningCount: problems.length - errorCount, workflow: undefined, loaded };
  }

  function checkData(
    value: Record<string, unknown>,
    options: ValidateOptions,
  ): { data: Record<string, unknown>; findings: Finding[] } {
    const findings: Finding[] = [];
    const data = normalize(value, catalog, findings);
    if (!check(data)) {
      const found = schemaFindings(check.errors ?? [], data, nodeTypes);
      findings.push(...(options.published ? found.map(toleratedWhenPublished) : found));
    }
    const graph = graphView(data);
    const layout = data.layout;
    const layoutNames =
      typeof layout === "object" && layout !== null && !Array.isArray(layout) ? Object.keys(layout) : [];
    findings.push(
      ...checkGraph(graph, catalog, layoutNames),
      ...checkCode(graph, catalog),
      ...checkEntities(data),
      ...checkEdgeOrder(graph),
    );
    return { data, findings };
  }

  function validate(text: string, options: ValidateOptions = {}): ValidationResult {
    // A clean file never needs positions, so it is read with the fast parser and the `yaml` document is only
    // built if someone asks for it; a file with any problem is read again by the full loader to place them.
    const quick = utf8ByteLength(text) <= limits.maxBytes ? fastParse(text, limits) : undefined;
    if (quick !== undefined) {
      const { data, findings } = checkData(quick, options);
      if (findings.length === 0) {
        let loaded: LoadedWorkflow | undefined;
        return {
          problems: [],
          errorCount: 0,
          warningCount: 0,
          workflow: data as unknown as Workflow,
          get loaded() {
            return (loaded ??= loadWorkflowText(text, limits));
          },
        };
      }
    }
    return validateLoaded(loadWorkflowText(text, limits), options);
  }

  return { schema, validate, validateLoaded };
}

/** A published version's break of a rule newer than it: said, as a warning, and the version still runs. */
function toleratedWhenPublished(finding: Finding): Finding {
  if (!finding.draftsOnly) return finding;
  return {
    ...finding,
    severity: "warning",
    message: `${finding.message} This version was published before Flowdeck required it and still runs as it did; fix it in the draft.`,
  };
}

/**
 * Prepares the data for the schema without touching the document: the seed's `config.next_node` is dropped
 * with a warning (edges say the same thing), and configs written for an older node version are migrated.
 */
function normalize(
  value: Record<string, unknown>,
  catalog: NodeCatalog,
  findings: Finding[],
): Record<string, unknown> {
  if (!Array.isArray(value.nodes)) return value;
  const nodes = value.nodes.map((raw: unknown, index: number) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
    const node = raw as Record<string, unknown>;
    let config = node.config;
    if (
      typeof config === "object" &&
      config !== null &&
      !Array.isArray(config) &&
      LEGACY_NEXT_NODE in config
    ) {
      const { [LEGACY_NEXT_NODE]: target, ...rest } = config as Record<string, unknown>;
      config = rest;
      findings.push({
        code: "FD135",
        message: `config.next_node is the older way to connect nodes; Flowdeck follows edges, so draw an edge from "${String(node.name)}" to "${String(target)}" instead.`,
        path: ["nodes", index, "config", LEGACY_NEXT_NODE],
        at: "key",
      });
    }
    const info = typeof node.type === "string" ? catalog.get(node.type) : undefined;
    const from = typeof node.type_version === "number" ? node.type_version : 1;
    if (info && from > info.version) {
      findings.push({
        code: "FD115",
        message: `Node "${String(node.name)}" was written for version ${from} of ${info.type}, but this Flowdeck has version ${info.version}.`,
        path: ["nodes", index, "type_version"],
      });
    } else if (info?.migrate && from < info.version) {
      try {
        config = info.migrate(config ?? {}, from);
      } catch (error) {
        // A third-party migration is code we do not control: its failure is a problem in the file, not a crash.
        findings.push({
          code: "FD116",
          message: `Node "${String(node.name)}" uses version ${from} of ${info.type}, and upgrading its config failed: ${error instanceof Error ? error.message : String(error)}.`,
          path: ["nodes", index, "type_version"],
        });
      }
    }
    return config === node.config ? node : { ...node, config };
  });
  return { ...value, nodes };
}
