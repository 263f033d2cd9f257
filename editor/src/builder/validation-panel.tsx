import type { Problem } from "@flowdeck/schemas";
import { memo, useId } from "react";
import { Icon } from "../ui/icon";
import { useBuilderStores, useDocument } from "./builder-context";
import { nodeIndexOfPath } from "./graph-model";
import { useRememberedFlag } from "./use-remembered-flag";

/** Where the problems panel's collapsed state is remembered, per browser. */
export const PROBLEMS_COLLAPSED_KEY = "flowdeck.builder.problems-collapsed";

/**
 * Every problem of the current text; a click selects its node on the canvas and shows its line in the YAML.
 * With none it is one slim line under the canvas (it took 180 px to say "No problems.", leaving a 900 × 600
 * window ~313 px of canvas); with some it grows to its list, up to a share of the window, unless the user
 * collapsed it to its line of counts, a choice remembered per browser.
 */
export const ValidationPanel = memo(function ValidationPanel() {
  const { document, session } = useBuilderStores();
  const listId = useId();
  const [collapsed, setCollapsed] = useRememberedFlag(PROBLEMS_COLLAPSED_KEY, false);
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

  const counts = (
    <span
      className={errorCount > 0 ? "fdb-problems__counts--error" : "fdb-muted"}
      data-testid="problem-counts"
    >
      {errorCount} error{errorCount === 1 ? "" : "s"}, {warningCount} warning
      {warningCount === 1 ? "" : "s"}
    </span>
  );
  const any = problems.length > 0;
  const open = any && !collapsed;

  return (
    <section
      className={`fdb-problems${open ? " fdb-problems--open" : ""}`}
      aria-labelledby="fdb-problems-title"
      data-testid="validation-panel"
      data-open={open}
    >
      <div className="fdb-problems__bar">
        <h2 id="fdb-problems-title" className="fdb-problems__title">
          {any ? (
            <button
              type="button"
              className="fdb-problems__toggle"
              aria-expanded={open}
              aria-controls={listId}
              onClick={() => setCollapsed(open)}
              title={open ? "Hide the problems" : "Show the problems"}
              data-testid="problems-toggle"
            >
              <Icon name={open ? "chevronDown" : "chevronRight"} />
              Problems {counts}
            </button>
          ) : (
            <>Problems {counts}</>
          )}
        </h2>
        {!any && <p className="fdb-muted fdb-problems__none">No problems.</p>}
        {serverValidation && (
          <p className="fdb-muted fdb-problems__note">
            YAML problems are shown as you type; the full check runs on the server each time the draft saves.
          </p>
        )}
      </div>
      {open && (
        <ul id={listId} className="fdb-problems__list">
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
