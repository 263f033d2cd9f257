// Regression cases: save the current test conversation as a case, run every case against the draft (one replay
// at a time, with progress and a Cancel), and see pass or fail per case with where the route and replies differ.
import { useEffect, useRef, useState, type FormEvent } from "react";
import {
  deleteCase,
  listCases,
  RegressionApiError,
  runCase,
  saveCase,
  type RegressionCase,
  type ReplayComparison,
} from "./regression-api";
import type { TestRunApi } from "./test-run-api";

type Outcome = { readonly comparison: ReplayComparison } | { readonly error: string };

const messageOf = (failure: unknown) =>
  failure instanceof RegressionApiError
    ? `${failure.code}: ${failure.message}`
    : "FD621: the case did not run.";

export function RegressionCases({
  api,
  workflowId,
  runId,
  beforeRun,
}: {
  api: TestRunApi;
  workflowId: string;
  /** The current test conversation's run, once it has one: what "Save as case" keeps. */
  runId: string | undefined;
  /** Resolves once the draft on screen is saved, so cases run against it. */
  beforeRun(): Promise<unknown>;
}) {
  const [cases, setCases] = useState<readonly RegressionCase[]>([]);
  const [outcomes, setOutcomes] = useState<Readonly<Record<string, Outcome>>>({});
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const running = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    let live = true;
    listCases(api, workflowId).then(
      (items) => live && setCases(items),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
      running.current?.abort();
    };
  }, [api, workflowId]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!runId || !name.trim()) return;
    try {
      const saved = await saveCase(api, workflowId, name.trim(), runId);
      setCases((all) => [...all, saved]);
      setName("");
      setError(undefined);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const runAll = async () => {
    const controller = new AbortController();
    running.current = controller;
    setOutcomes({});
    setProgress({ done: 0, total: cases.length });
    await beforeRun().catch(() => undefined);
    // One at a time: each replay is a real run on a shared worker, and Cancel stops between (and during) them.
    for (const [index, item] of cases.entries()) {
      if (controller.signal.aborted) break;
      let outcome: Outcome;
      try {
        outcome = { comparison: await runCase(api, item, controller.signal) };
      } catch (failure) {
        if (controller.signal.aborted) break;
        outcome = { error: messageOf(failure) };
      }
      setOutcomes((all) => ({ ...all, [item.id]: outcome }));
      setProgress({ done: index + 1, total: cases.length });
    }
    running.current = undefined;
    setProgress(undefined);
  };

  const remove = async (item: RegressionCase) => {
    try {
      await deleteCase(api, workflowId, item.id);
      setCases((all) => all.filter((c) => c.id !== item.id));
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <section className="fdb-cases" aria-label="Regression cases" data-testid="regression-cases">
      <h3 className="fdb-cases__title">Regression cases</h3>
      <form className="fdb-test-run__form" onSubmit={(e) => void save(e)}>
        <label htmlFor="case-name" className="fdb-visually-hidden">
          Case name
        </label>
        <input
          id="case-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={runId ? "Name this conversation…" : "Chat first, then save it as a case"}
          disabled={!runId}
          data-testid="case-name"
        />
        <button type="submit" className="fdb-button" disabled={!runId || !name.trim()}>
          Save as case
        </button>
      </form>
      <div className="fdb-cases__actions">
        <button
          type="button"
          className="fdb-button"
          onClick={() => void runAll()}
          disabled={cases.length === 0 || progress !== undefined}
          data-testid="cases-run-all"
        >
          Run all cases
        </button>
        {progress && (
          <>
            <progress max={progress.total} value={progress.done} aria-label="Cases run" />
            <span role="status">
              {progress.done} / {progress.total}
            </span>
            <button type="button" className="fdb-button" onClick={() => running.current?.abort()}>
              Cancel
            </button>
          </>
        )}
      </div>
      {error && (
        <p role="alert" className="fdb-cases__error">
          {error}
        </p>
      )}
      <ul className="fdb-cases__list">
        {cases.map((item) => (
          <CaseRow key={item.id} item={item} outcome={outcomes[item.id]} onDelete={() => void remove(item)} />
        ))}
      </ul>
    </section>
  );
}

function CaseRow({ item, outcome, onDelete }: { item: RegressionCase; outcome?: Outcome; onDelete(): void }) {
  const passed =
    outcome && "comparison" in outcome && outcome.comparison.sameRoute && outcome.comparison.sameReplies;
  const verdict = !outcome ? undefined : passed ? "pass" : "fail";
  return (
    <li
      className={`fdb-case${verdict ? ` fdb-case--${verdict}` : ""}`}
      data-testid={`case-${item.name}`}
      data-verdict={verdict}
    >
      <div className="fdb-case__head">
        <strong>{item.name}</strong>
        {verdict && <span className="fdb-case__verdict">{verdict === "pass" ? "Pass" : "Fail"}</span>}
        <button
          type="button"
          className="fdb-button fdb-button--small"
          onClick={onDelete}
          aria-label={`Delete case ${item.name}`}
        >
          Delete
        </button>
      </div>
      {outcome && "error" in outcome && <p className="fdb-cases__error">{outcome.error}</p>}
      {outcome && "comparison" in outcome && !passed && <CaseDiff comparison={outcome.comparison} />}
    </li>
  );
}

/** Where the replay parted from the saved conversation: the route from that step on, and replies that changed. */
function CaseDiff({ comparison }: { comparison: ReplayComparison }) {
  const at = comparison.routeDivergesAt ?? 0;
  const replies = comparison.original.replies
    .map((text, i) => ({ before: text, after: comparison.replay.replies[i] }))
    .concat(
      comparison.replay.replies
        .slice(comparison.original.replies.length)
        .map((after) => ({ before: "", after })),
    )
    .filter((pair) => pair.before !== pair.after);
  return (
    <dl className="fdb-case__diff" data-testid="case-diff">
      {!comparison.sameRoute && (
        <>
          <dt>Route (from step {at + 1})</dt>
          <dd>
            <del>{comparison.original.route.slice(at).join(" → ") || "(ends)"}</del>
            <ins>{comparison.replay.route.slice(at).join(" → ") || "(ends)"}</ins>
          </dd>
        </>
      )}
      {replies.map((pair, i) => (
        <div key={i}>
          <dt>Reply</dt>
          <dd>
            <del>{pair.before || "(none)"}</del>
            <ins>{pair.after ?? "(none)"}</ins>
          </dd>
        </div>
      ))}
    </dl>
  );
}
