import { type GraphEdit, type Problem } from "@flowdeck/schemas";
import { useMemo, useState } from "react";
import { useBuilderStores, useDocument, useSession } from "./builder-context";
import { CodeField } from "./code-field";
import { completionTree } from "./completions";
import { FieldProblems } from "./schema-form-inputs";

/**
 * The selected edge: which branch it is, its CEL condition (the same completion and live checking as node
 * fields: problems come from the validator on every keystroke), its port, and its place among the edges
 * leaving the same port, which are tried in order. Every change is one `set-edge` / `move-edge` document edit,
 * so the YAML's comments and layout stay.
 */
export function EdgeInspector({ index }: { index: number }) {
  const { document, session } = useBuilderStores();
  const graph = useDocument((s) => s.graph);
  const value = useDocument((s) => s.value);
  const problems = useDocument((s) => s.problems);
  const parses = useDocument((s) => s.parses);
  const readOnly = useSession((s) => s.readOnly) || !parses;
  const tree = useMemo(() => completionTree(value), [value]);
  const edge = graph.edges.find((e) => e.index === index);
  const source = graph.nodes.find((n) => n.id === edge?.source);
  const [refused, setRefused] = useState(false);
  if (!edge) return <p className="fdb-muted">This edge is gone.</p>;

  const prefix = `edges[${index}]`;
  const mine = problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`));
  const conditionProblems = mine.filter((p) => p.path === `${prefix}.condition`);
  const otherProblems = mine.filter((p) => p.path !== `${prefix}.condition`);
  const siblings = graph.edges.filter((e) => e.source === edge.source && e.port === edge.port);
  const place = siblings.findIndex((e) => e.index === index);

  const edit = (edits: GraphEdit[], coalesceKey?: string) => {
    if (readOnly) return false;
    const ok = document
      .getState()
      .applyEdits(edits, { origin: "form", ...(coalesceKey ? { coalesceKey } : {}) });
    setRefused(!ok);
    return ok;
  };
  const move = (to: number) => {
    const target = siblings[to];
    if (!target) return;
    // The moved edge takes the sibling's place in the list; keep it selected under its new id.
    if (edit([{ kind: "move-edge", from: index, to: target.index }]))
      session.getState().select([], [`e${target.index}`]);
  };
  const items = source?.handles.filter((h) => h.kind === "item") ?? [];
  const branchValue =
    items.find((h) => h.id === edge.handle)?.id ?? (edge.condition === undefined ? "" : "custom");

  return (
    <div className="fdb-inspector__body" data-testid="edge-inspector">
      <header className="fdb-inspector__head">
        <h2>Edge</h2>
        <p className="fdb-muted">
          From <strong>{edge.source}</strong> to <strong>{edge.target}</strong>
          {edge.branch ? (
            <>
              {" "}
              — branch <strong data-testid="edge-branch">{edge.branch}</strong>
            </>
          ) : null}
        </p>
      </header>
      <FieldProblems id={undefined} problems={otherProblems as Problem[]} />
      <form className="fdb-form" aria-label="Edge settings" onSubmit={(e) => e.preventDefault()}>
        {items.length > 0 && (
          <div className="fdb-field">
            <label htmlFor="fdb-edge-branch">Branch</label>
            <select
              id="fdb-edge-branch"
              data-testid="edge-branch-select"
              value={branchValue}
              disabled={readOnly}
              onChange={(e) => {
                const handle = items.find((h) => h.id === e.target.value);
                if (handle)
                  edit([{ kind: "set-edge", index, port: null, condition: handle.condition ?? null }]);
                else if (e.target.value === "") edit([{ kind: "set-edge", index, condition: null }]);
              }}
            >
              {items.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.label}
                </option>
              ))}
              <option value="">
                {source?.handles.find((h) => h.id === edge.port)?.label ?? "no condition"}
              </option>
              {branchValue === "custom" && <option value="custom">custom condition</option>}
            </select>
          </div>
        )}
        <div className="fdb-field">
          <label htmlFor="fdb-edge-condition">Condition</label>
          <CodeField
            id="fdb-edge-condition"
            kind="expression"
            value={edge.condition ?? ""}
            tree={tree}
            readOnly={readOnly}
            invalid={conditionProblems.length > 0}
            describedBy="fdb-edge-condition-help"
            onChange={(text) =>
              edit(
                [{ kind: "set-edge", index, condition: text === "" ? null : text }],
                `edge:${index}:condition`,
              )
            }
          />
          <FieldProblems id={undefined} problems={conditionProblems} />
          <p id="fdb-edge-condition-help" className="fdb-field__help">
            CEL, true to take this edge; it also sees <code>output</code>, the output of {edge.source}. Empty:
            always.
          </p>
        </div>
        <div className="fdb-field">
          <label htmlFor="fdb-edge-port">Port</label>
          <select
            id="fdb-edge-port"
            data-testid="edge-port"
            value={edge.port}
            disabled={readOnly}
            onChange={(e) =>
              edit([{ kind: "set-edge", index, port: e.target.value === "out" ? null : e.target.value }])
            }
          >
            {(source?.outputs ?? [edge.port]).map((port) => (
              <option key={port} value={port}>
                {port}
                {source?.handles.find((h) => h.id === port && h.label !== port)
                  ? ` (${source.handles.find((h) => h.id === port)!.label})`
                  : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="fdb-field">
          <span className="fdb-field__label" id="fdb-edge-order-label">
            Order: {place + 1} of {siblings.length} on this port
          </span>
          <div className="fdb-edge-order" role="group" aria-labelledby="fdb-edge-order-label">
            <button
              type="button"
              className="fdb-button"
              data-testid="edge-earlier"
              disabled={readOnly || place <= 0}
              onClick={() => move(place - 1)}
            >
              Try earlier
            </button>
            <button
              type="button"
              className="fdb-button"
              data-testid="edge-later"
              disabled={readOnly || place < 0 || place >= siblings.length - 1}
              onClick={() => move(place + 1)}
            >
              Try later
            </button>
          </div>
          <p className="fdb-field__help">
            Edges on one port are tried in order; the first whose condition holds is taken.
          </p>
        </div>
        {refused && <p className="fdb-field__help">That change was refused; check the YAML.</p>}
      </form>
    </div>
  );
}
