import { useState } from "react";
import type { BuilderActions } from "./builder-actions";
import { useDocument, useSession } from "./builder-context";

/**
 * Connecting without a pointer (issue 18, keyboard): pick one of the selected node's branches and a target node,
 * then "Add edge" — the same command as drawing from that handle, so the edge gets the same condition or port.
 */
export function ConnectForm({ nodeId, actions }: { nodeId: string; actions: BuilderActions }) {
  const graph = useDocument((s) => s.graph);
  const parses = useDocument((s) => s.parses);
  const readOnly = useSession((s) => s.readOnly) || !parses;
  const node = graph.nodes.find((n) => n.id === nodeId);
  const handles = node?.handles ?? [];
  const targets = graph.nodes.filter((n) => n.id !== nodeId && n.type !== "start");
  const [handle, setHandle] = useState<string>("");
  const [target, setTarget] = useState<string>("");
  if (!node || handles.length === 0 || readOnly) return null;
  const chosenHandle = handles.some((h) => h.id === handle) ? handle : handles[0]!.id;
  const chosenTarget = targets.some((t) => t.id === target) ? target : (targets[0]?.id ?? "");
  return (
    <section
      className="fdb-inspector__section"
      aria-label={`Connect ${node.name}`}
      data-testid="connect-form"
    >
      <h3>Connect</h3>
      <div className="fdb-field">
        <label htmlFor="fdb-connect-branch">From branch</label>
        <select id="fdb-connect-branch" value={chosenHandle} onChange={(e) => setHandle(e.target.value)}>
          {handles.map((h) => (
            <option key={h.id} value={h.id}>
              {h.label}
            </option>
          ))}
        </select>
      </div>
      <div className="fdb-field">
        <label htmlFor="fdb-connect-target">To node</label>
        <select id="fdb-connect-target" value={chosenTarget} onChange={(e) => setTarget(e.target.value)}>
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="fdb-button"
        data-testid="connect-add"
        disabled={chosenTarget === ""}
        onClick={() =>
          actions.connect({
            source: nodeId,
            sourceHandle: chosenHandle,
            target: chosenTarget,
            targetHandle: "in",
          })
        }
      >
        Add edge
      </button>
    </section>
  );
}
