// The difference between two versions: drawn on one canvas (diff-picture.ts) and listed field by field, so a
// reviewer sees where the change is and exactly what it is.
import type { EdgeRef, FieldChange, WorkflowDiff } from "@flowdeck/schemas";
import { useMemo } from "react";
import { WorkflowPicture } from "../workflow-picture";
import { diffPicture, shortValue } from "./diff-picture";
import "./diff-view.css";

export interface DiffViewProps {
  readonly before: string;
  readonly after: string;
  readonly diff: WorkflowDiff;
  /** "v2 → draft", for the canvas's accessible name. */
  readonly label: string;
}

export function DiffView({ before, after, diff, label }: DiffViewProps) {
  const picture = useMemo(() => diffPicture(before, after, diff), [before, after, diff]);
  return (
    <div className="fdb-diff" data-testid="diff-view">
      <div className="fdb-diff__canvas">
        <WorkflowPicture
          key={picture.yaml}
          yaml={picture.yaml}
          marks={picture.marks}
          label={`Changes ${label}`}
        />
      </div>
      <DiffList diff={diff} />
    </div>
  );
}

const edgeText = (edge: EdgeRef) =>
  `${edge.from} → ${edge.to}${edge.port === "out" ? "" : ` (${edge.port})`}`;

function Changes({ changes }: { changes: readonly FieldChange[] }) {
  return (
    <ul className="fdb-diff__fields">
      {changes.map((change) => (
        <li key={change.path}>
          <code>{change.path || "(value)"}</code>: <del>{shortValue(change.before)}</del> →{" "}
          <ins>{shortValue(change.after)}</ins>
        </li>
      ))}
    </ul>
  );
}

/** Every logical change in words; layout moves only counted. */
export function DiffList({ diff }: { diff: WorkflowDiff }) {
  const { nodes, edges, settings, moved } = diff;
  if (diff.layoutOnly) {
    return (
      <p className="fdb-diff__none" data-testid="diff-none">
        {moved.length > 0
          ? `No logical change: only ${moved.length} node position${moved.length === 1 ? "" : "s"} moved.`
          : "No change."}
      </p>
    );
  }
  return (
    <ul className="fdb-diff__list" data-testid="diff-list" aria-label="Changes">
      {nodes.added.map((name) => (
        <li key={`a:${name}`} className="fdb-diff__item fdb-diff__item--added">
          <strong>Added</strong> node <code>{name}</code>
        </li>
      ))}
      {nodes.removed.map((name) => (
        <li key={`r:${name}`} className="fdb-diff__item fdb-diff__item--removed">
          <strong>Removed</strong> node <code>{name}</code>
        </li>
      ))}
      {nodes.renamed.map(({ from, to }) => (
        <li key={`n:${from}`} className="fdb-diff__item fdb-diff__item--changed">
          <strong>Renamed</strong> <code>{from}</code> to <code>{to}</code>
        </li>
      ))}
      {nodes.changed.map(({ name, changes }) => (
        <li
          key={`c:${name}`}
          className="fdb-diff__item fdb-diff__item--changed"
          data-testid={`diff-changed-${name}`}
        >
          <strong>Changed</strong> node <code>{name}</code>
          <Changes changes={changes} />
        </li>
      ))}
      {edges.added.map((edge) => (
        <li key={`ea:${edgeText(edge)}`} className="fdb-diff__item fdb-diff__item--added">
          <strong>Added</strong> edge {edgeText(edge)}
        </li>
      ))}
      {edges.removed.map((edge) => (
        <li key={`er:${edgeText(edge)}`} className="fdb-diff__item fdb-diff__item--removed">
          <strong>Removed</strong> edge {edgeText(edge)}
        </li>
      ))}
      {edges.changed.map((edge) => (
        <li key={`ec:${edgeText(edge)}`} className="fdb-diff__item fdb-diff__item--changed">
          <strong>Changed</strong> edge {edgeText(edge)}
          <Changes changes={edge.changes} />
        </li>
      ))}
      {edges.reordered.map((from) => (
        <li key={`eo:${from}`} className="fdb-diff__item fdb-diff__item--changed">
          <strong>Reordered</strong> the edges leaving <code>{from}</code> (which one wins can differ)
        </li>
      ))}
      {settings.length > 0 && (
        <li className="fdb-diff__item fdb-diff__item--changed">
          <strong>Changed</strong> settings
          <Changes changes={settings} />
        </li>
      )}
      {moved.length > 0 && (
        <li className="fdb-diff__item">
          {moved.length} node position{moved.length === 1 ? "" : "s"} moved
        </li>
      )}
    </ul>
  );
}
