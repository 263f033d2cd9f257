// A workflow drawn read-only from a YAML text (a published version, a run's version, two versions merged by
// diff/diff-picture.ts), with diff marks or a run's trace on the node cards. The same canvas and cards as the
// builder, so a version looks exactly as it did when it was edited.
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useRef, useState } from "react";
import { useBuilderActions } from "./builder-actions";
import { BuilderProvider } from "./builder-context";
import { builtinBuilderRegistry } from "./builder-registry";
import { createBuilderStores } from "./builder-stores";
import { FIT_VIEW_OPTIONS } from "./canvas-fit";
import type { NodeMark, TraceStatus } from "./session-store";
import { WorkflowCanvas } from "./workflow-canvas";
import "./builder.css";
import "./workflow-picture.css";

export interface WorkflowPictureProps {
  readonly yaml: string;
  /** What the picture shows, for screen readers (the canvas region's name). */
  readonly label: string;
  readonly marks?: Readonly<Record<string, NodeMark>>;
  readonly trace?: Readonly<Record<string, TraceStatus>>;
}

const NONE = {};

/** Remount it (React `key`) for another text: the stores are made once from the first one. */
export function WorkflowPicture({ yaml, label, marks = NONE, trace = NONE }: WorkflowPictureProps) {
  const [stores] = useState(() => {
    const { catalog, iconOf } = builtinBuilderRegistry();
    // No validator: a published version was checked when it was published, and a merged diff picture is not a
    // workflow anyone runs (its removed nodes would only add "unreachable" noise).
    return createBuilderStores({ initialText: yaml, catalog, validator: undefined, iconOf, readOnly: true });
  });
  useEffect(() => () => stores.dispose(), [stores]);
  useEffect(() => stores.session.getState().setMarks(marks), [stores, marks]);
  useEffect(() => stores.session.getState().setTrace(trace), [stores, trace]);
  return (
    <BuilderProvider stores={stores}>
      <ReactFlowProvider>
        <section className="fdb-builder fdb-picture" aria-label={label} data-testid="workflow-picture">
          <PictureCanvas />
        </section>
      </ReactFlowProvider>
    </BuilderProvider>
  );
}

function PictureCanvas() {
  // Read-only: the canvas only needs the view commands (fit), and every editing command refuses.
  const actions = useBuilderActions();
  const flow = useReactFlow();
  const box = useRef<HTMLDivElement>(null);
  // A picture often mounts before its box has a size (inside a <dialog> that opens in an effect, a tab that
  // appears), so the canvas's own fit saw 0×0 and showed an empty pane: fit again once it is laid out.
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let fitted = false;
    const observer = new ResizeObserver(([entry]) => {
      if (fitted || !entry || entry.contentRect.width === 0 || entry.contentRect.height === 0) return;
      fitted = true;
      requestAnimationFrame(() => void flow.fitView(FIT_VIEW_OPTIONS));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [flow]);
  return (
    <div ref={box} className="fdb-picture__box">
      {/* The zoom controls' Fit shows the whole version, as the picture opens. */}
      <WorkflowCanvas actions={actions} fitMinZoom={0} />
    </div>
  );
}
