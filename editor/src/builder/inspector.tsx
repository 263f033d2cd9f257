import { formatPath, type PathSegment, type Problem } from "@flowdeck/schemas";
import { useCallback, useMemo, useState } from "react";
import type { BuilderActions } from "./builder-actions";
import { useBuilderStores, useDocument, useSession } from "./builder-context";
import { builtinBuilderRegistry } from "./builder-registry";
import { completionTree } from "./completions";
import { ObjectFields, type FieldContext } from "./schema-form";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The selected node's settings: its name and a form generated from its type's config schema. */
export function Inspector({ actions }: { actions: BuilderActions }) {
  const selected = useSession((s) => s.selectedNodeIds);
  const graph = useDocument((s) => s.graph);
  const node = selected.length === 1 ? graph.nodes.find((n) => n.id === selected[0]) : undefined;

  return (
    <aside className="fdb-inspector" aria-label="Inspector" data-testid="inspector">
      {node ? (
        <NodeInspector key={node.id} name={node.name} index={node.index} type={node.type} actions={actions} />
      ) : (
        <p className="fdb-muted">
          {selected.length > 1 ? `${selected.length} nodes selected.` : "Select a node to see its settings."}
        </p>
      )}
    </aside>
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
  const { catalog, registry } = builtinBuilderRegistry();
  const info = catalog.get(type);
  const definition = registry.get(type);
  const raw = Array.isArray(value?.nodes) ? value.nodes[index] : undefined;
  const config = isRecord(raw) && isRecord(raw.config) ? raw.config : {};

  const drawn = useMemo(
    () => Object.keys((info?.configSchema.properties as object | undefined) ?? {}),
    [info],
  );
  const { byField, general } = useMemo(() => splitProblems(problems, index, drawn), [problems, index, drawn]);
  const tree = useMemo(() => completionTree(value), [value]);
  const onChange = useCallback(
    (path: readonly PathSegment[], next: unknown) =>
      document.getState().applyEdits([{ kind: "set-config", node: name, path, value: next }], {
        origin: "form",
        coalesceKey: `${name}:${path.join(".")}`,
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
    } else general.push(problem);
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
