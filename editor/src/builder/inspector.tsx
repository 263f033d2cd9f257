import {
  branchRenameEdits,
  formatPath,
  type GraphEdit,
  type JsonSchema,
  type PathSegment,
  type Problem,
} from "@flowdeck/schemas";
import { useCallback, useMemo, useState } from "react";
import type { BuilderActions } from "./builder-actions";
import { useBuilderStores, useDocument, useSession } from "./builder-context";
import { builtinBuilderRegistry } from "./builder-registry";
import { completionTree } from "./completions";
import { ConnectForm } from "./connect-form";
import { EdgeInspector } from "./edge-inspector";
import { ObjectFields, type FieldContext } from "./schema-form";
import { SchemaSubsetForm } from "./schema-subset-form";

/** Node fields outside `config` that get a form of their own (from the published schema). */
const NODE_FIELDS = ["description", "retry", "timeout_ms"] as const;
/** Top-level fields with their own editors (the canvas, the workflow list's rename) are left out of settings. */
const NOT_SETTINGS = new Set(["name", "nodes", "edges", "layout"]);

const asSchema = (value: unknown): JsonSchema | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;

/** A copy of `config` with `next` at `path` (`undefined` removes), to see what a form edit will leave. */
function withValue(config: unknown, path: readonly PathSegment[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  const base: Record<string | number, unknown> | unknown[] = Array.isArray(config)
    ? [...(config as unknown[])]
    : isRecord(config)
      ? { ...config }
      : typeof head === "number"
        ? []
        : {};
  const child = withValue((base as Record<string | number, unknown>)[head as string], rest, next);
  if (child === undefined && !Array.isArray(base)) delete (base as Record<string, unknown>)[head as string];
  else (base as Record<string | number, unknown>)[head as string] = child;
  return base;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The selected node's settings: its name and a form generated from its type's config schema. */
export function Inspector({ actions }: { actions: BuilderActions }) {
  const selected = useSession((s) => s.selectedNodeIds);
  const selectedEdges = useSession((s) => s.selectedEdgeIds);
  const graph = useDocument((s) => s.graph);
  const node = selected.length === 1 ? graph.nodes.find((n) => n.id === selected[0]) : undefined;
  const edge =
    selected.length === 0 && selectedEdges.length === 1
      ? graph.edges.find((e) => e.id === selectedEdges[0])
      : undefined;

  return (
    <aside className="fdb-inspector" aria-label="Inspector" data-testid="inspector">
      {node ? (
        <>
          <NodeInspector
            key={node.id}
            name={node.name}
            index={node.index}
            type={node.type}
            actions={actions}
          />
          <ConnectForm key={`connect-${node.id}`} nodeId={node.id} actions={actions} />
        </>
      ) : edge ? (
        <EdgeInspector key={edge.id} index={edge.index} />
      ) : selected.length > 1 ? (
        <p className="fdb-muted">{`${selected.length} nodes selected.`}</p>
      ) : (
        <WorkflowSettings />
      )}
    </aside>
  );
}

/** With nothing selected: the workflow's own settings (trigger, vars, priority …), from the schema. */
function WorkflowSettings() {
  const { document } = useBuilderStores();
  const value = useDocument((s) => s.value);
  const schema = builtinBuilderRegistry().validator.schema;
  const keys = useMemo(
    () => Object.keys(asSchema(schema.properties) ?? {}).filter((k) => !NOT_SETTINGS.has(k)),
    [schema],
  );
  const onChange = useCallback(
    (path: readonly PathSegment[], next: unknown) =>
      document.getState().applyEdits([{ kind: "set-workflow-field", path, value: next }], {
        origin: "form",
        coalesceKey: `workflow:${path.join(".")}`,
      }),
    [document],
  );
  return (
    <div className="fdb-inspector__body" data-testid="workflow-settings">
      <header className="fdb-inspector__head">
        <h2>Workflow settings</h2>
        <p className="fdb-muted">Select a node or an edge to see its settings.</p>
      </header>
      <SchemaSubsetForm
        label="Workflow settings"
        objectSchema={schema}
        keys={keys}
        value={value ?? {}}
        problemPrefix=""
        idPrefix="fdb-workflow"
        onChange={onChange}
      />
    </div>
  );
}

function NodeInspector({
  name,
  index,
  type,
  actions,
}: {
  name: string;
  index: number;
  type: string;
  actions: BuilderActions;
}) {
  const { document } = useBuilderStores();
  const value = useDocument((s) => s.value);
  const problems = useDocument((s) => s.problems);
  const parses = useDocument((s) => s.parses);
  const readOnly = useSession((s) => s.readOnly) || !parses;
  const { catalog, registry, validator } = builtinBuilderRegistry();
  const info = catalog.get(type);
  const definition = registry.get(type);
  const raw = Array.isArray(value?.nodes) ? value.nodes[index] : undefined;
  const config = isRecord(raw) && isRecord(raw.config) ? raw.config : {};

  // A string key: the catalog's objects are not known to the compiler as immutable.
  const drawnKeys = Object.keys((info?.configSchema.properties as object | undefined) ?? {}).join(",");
  const { byField, general } = useMemo(
    () => splitProblems(problems, index, drawnKeys.split(",")),
    [problems, index, drawnKeys],
  );
  const tree = useMemo(() => completionTree(value), [value]);
  const onChange = useCallback(
    (path: readonly PathSegment[], next: unknown) => {
      const edits: GraphEdit[] = [{ kind: "set-config", node: name, path, value: next }];
      // Renaming a router's intent moves the edges of that branch with it (their conditions name it).
      const branches = builtinBuilderRegistry().catalog.get(type)?.branches;
      const perItem = branches?.perItem;
      if (branches && perItem && path[0] === perItem.list) {
        const current = document.getState().value;
        const rawNode = Array.isArray(current?.nodes) ? current.nodes[index] : undefined;
        const before = isRecord(rawNode) ? rawNode.config : undefined;
        edits.push(
          ...branchRenameEdits(branches, name, before, withValue(before, path, next), current?.edges),
        );
      }
      return document.getState().applyEdits(edits, {
        origin: "form",
        coalesceKey: `${name}:${path.join(".")}`,
      });
    },
    [document, name, index, type],
  );
  const nodeSchema = asSchema(asSchema(validator.schema.$defs)?.[`node.${type}`]);
  const onNodeFieldChange = useCallback(
    (path: readonly PathSegment[], next: unknown) =>
      document.getState().applyEdits([{ kind: "set-node-field", node: name, path, value: next }], {
        origin: "form",
        coalesceKey: `${name}:node:${path.join(".")}`,
      }),
    [document, name],
  );
  const context: FieldContext = useMemo(
    () => ({ readOnly, tree, problems: byField, idPrefix: `fdb-${name}`, onChange }),
    [readOnly, tree, byField, name, onChange],
  );

  return (
    <div className="fdb-inspector__body">
      <header className="fdb-inspector__head">
        <h2>{info?.title ?? type}</h2>
        <p className="fdb-muted">{definition?.meta.description ?? `No node type "${type}" is installed.`}</p>
      </header>
      <NameField name={name} readOnly={readOnly} onRename={(to) => actions.renameNode(name, to)} />
      {general.length > 0 && (
        <ul
          className="fdb-field__problems"
          aria-label="Problems of this node"
          data-testid="inspector-problems"
        >
          {general.map((p, i) => (
            <li key={i} className={`fdb-problem fdb-problem--${p.severity}`}>
              <code>{p.code}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      {info ? (
        <form className="fdb-form" aria-label={`${name} settings`} onSubmit={(e) => e.preventDefault()}>
          <ObjectFields schema={info.configSchema} value={config} path={[]} context={context} />
        </form>
      ) : null}
      {info ? (
        <section className="fdb-inspector__section" aria-label="Node settings">
          <h3>Retry, timeout and notes</h3>
          <SchemaSubsetForm
            label={`${name} retry, timeout and description`}
            objectSchema={nodeSchema}
            keys={NODE_FIELDS}
            value={isRecord(raw) ? raw : {}}
            problemPrefix={`nodes[${index}]`}
            idPrefix={`fdb-${name}-node`}
            onChange={onNodeFieldChange}
          />
        </section>
      ) : null}
    </div>
  );
}

function NameField({
  name,
  readOnly,
  onRename,
}: {
  name: string;
  readOnly: boolean;
  onRename(to: string): boolean;
}) {
  const [draft, setDraft] = useState(name);
  const [refused, setRefused] = useState(false);
  const commit = () => {
    if (draft === name) return;
    const ok = onRename(draft);
    setRefused(!ok);
    if (!ok) setDraft(name);
  };
  return (
    <div className="fdb-field">
      <label htmlFor="fdb-node-name">Name</label>
      <input
        id="fdb-node-name"
        type="text"
        value={draft}
        disabled={readOnly}
        aria-describedby="fdb-node-name-help"
        data-testid="inspector-name"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
        }}
      />
      <p id="fdb-node-name-help" className="fdb-field__help">
        {refused
          ? "That name is taken or not allowed (letters, digits and _)."
          : "Renaming also updates edges and nodes.<name> references."}
      </p>
    </div>
  );
}

/** Problems of node `index`: by field path inside its config (`text`, `inputs[0].name`), and the rest (shown on top). */
function splitProblems(problems: readonly Problem[], index: number, drawnKeys: readonly string[]) {
  const prefix = `nodes[${index}]`;
  const configPrefix = `${prefix}.config`;
  const byField = new Map<string, Problem[]>();
  const general: Problem[] = [];
  for (const problem of problems) {
    if (
      problem.path !== prefix &&
      !problem.path.startsWith(`${prefix}.`) &&
      !problem.path.startsWith(`${prefix}[`)
    )
      continue;
    if (problem.path.startsWith(`${configPrefix}.`) || problem.path.startsWith(`${configPrefix}[`)) {
      const rest = problem.path.slice(configPrefix.length).replace(/^\./, "");
      const segments = parsePath(rest);
      // A field the form does not draw (an unknown key) still needs its problem seen: list it on top.
      if (!drawnKeys.includes(String(segments[0]))) {
        general.push(problem);
        continue;
      }
      const key = formatPath(segments);
      byField.set(key, [...(byField.get(key) ?? []), problem]);
    } else if (!NODE_FIELDS.some((k) => problem.path.startsWith(`${prefix}.${k}`))) general.push(problem);
  }
  return { byField, general };
}

/** `inputs[0].name` → ["inputs", 0, "name"] (the inverse of formatPath for the paths problems carry). */
function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(`"${match[3]}"`) as string);
    else if (match[1] !== undefined) segments.push(match[1]);
  }
  return segments;
}
