import type { Problem } from "@flowdeck/schemas";
import { memo } from "react";
import { useBuilderStores, useDocument } from "./builder-context";
import { nodeIndexOfPath } from "./graph-model";

/** Every problem of the current text; a click selects its node on the canvas and shows its line in the YAML. */
export const ValidationPanel = memo(function ValidationPanel() {
  const { document, session } = useBuilderStores();
  const problems = useDocument((s) => s.problems);
  const errorCount = useDocument((s) => s.errorCount);
  const warningCount = useDocument((s) => s.warningCount);
  const serverValidation = useDocument((s) => s.serverValidation);

  const go = (problem: Problem) => {
    const index = nodeIndexOfPath(problem.path);
    const node =
      index === undefined ? undefined : document.getState().graph.nodes.find((n) => n.index === index);
    const s = session.getState();
    if (node) {
      s.select([node.id]);
      s.requestFocusNode(node.id);
    }
    if (s.viewMode === "canvas") s.setViewMode("split");
    s.revealLine(problem.line, problem.column);
  };

  return (
    <section className="fdb-problems" aria-labelledby="fdb-problems-title" data-testid="validation-panel">
      <h2 id="fdb-problems-title" className="fdb-problems__title">
        Problems{" "}
        <span className="fdb-muted" data-testid="problem-counts">
          {errorCount} error{errorCount === 1 ? "" : "s"}, {warningCount} warning
          {warningCount === 1 ? "" : "s"}
        </span>
      </h2>
      {serverValidation && (
        <p className="fdb-muted fdb-problems__note">
          YAML problems are shown as you type; the full check runs on the server each time the draft saves.
        </p>
      )}
      {problems.length === 0 ? (
        <p className="fdb-muted">No problems.</p>
      ) : (
        <ul className="fdb-problems__list">
          {problems.map((p, i) => (
            <li key={`${p.code}-${p.line}-${p.column}-${i}`}>
              <button
                type="button"
                className={`fdb-problems__item fdb-problem--${p.severity}`}
                onClick={() => go(p)}
                data-testid="problem-item"
                data-code={p.code}
                title={p.hint}
              >
                <span className={`fdb-severity fdb-severity--${p.severity}`}>{p.severity}</span>
                <code>{p.code}</code>
                <span className="fdb-problems__message">{p.message}</span>
                <span className="fdb-problems__where">
                  {p.path ? `${p.path} · ` : ""}line {p.line}:{p.column}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});
