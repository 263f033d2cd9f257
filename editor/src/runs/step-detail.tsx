// One step of a run, chosen on the canvas or in the event log: what it was, how it went, what it was given and
// gave back, and for a router why it took the route it took.
import type { ReactNode } from "react";
import type { RunDetail, RunStep } from "../api/runs-types";
import { JsonBlock } from "./json-block";
import { attemptsOf, stepDurationMs, stepFacts, stepInput } from "./step-facts";

const STATUS_KIND: Record<RunStep["status"], string> = {
  completed: " fd-badge--success",
  failed: " fd-badge--danger",
  waiting: " fd-badge--primary",
};

// Steps often take milliseconds, so the time shows them.
const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
  });

export function StepDetail({ run, step, onClose }: { run: RunDetail; step: RunStep; onClose?: () => void }) {
  const ms = stepDurationMs(step);
  const attempts = attemptsOf(run, step);
  const first = run.steps[0]?.stepId === step.stepId;
  return (
    <section className="fd-card fd-run__step" aria-labelledby="run-step-title" data-testid="run-step-detail">
      <header className="fd-run__step-head">
        <h2 id="run-step-title" className="fd-section-title">
          Step: {step.nodeName} <span className="fd-muted">({step.nodeType})</span>
        </h2>
        {onClose ? (
          <button type="button" className="fd-button fd-button--ghost" onClick={onClose}>
            Close
          </button>
        ) : null}
      </header>
      <dl className="fd-run__facts">
        <Fact name="status">
          <span className={`fd-badge${STATUS_KIND[step.status] ?? ""}`}>{step.status}</span>
        </Fact>
        <Fact name="attempts">{attempts}</Fact>
        <Fact name="started">{time(step.startedAt)}</Fact>
        <Fact name="ended">{step.status === "waiting" ? "waiting for a reply" : time(step.finishedAt)}</Fact>
        {ms !== undefined && step.status !== "waiting" ? <Fact name="duration">{ms} ms</Fact> : null}
        {stepFacts(step).map((fact, i) => (
          // Notes repeat a name, so the place keeps keys apart.
          <Fact key={`${fact.name}-${i}`} name={fact.name}>
            {fact.value}
          </Fact>
        ))}
      </dl>
      {step.error ? (
        <p className="fd-alert fd-alert--error" role="alert" data-testid="run-step-error">
          <strong>{step.error.code}</strong> {step.error.message}
        </p>
      ) : null}
      <JsonBlock
        label={first ? "Input (the run's input)" : "Input (the previous step's output)"}
        value={stepInput(run, step)}
        testId="run-step-input"
      />
      <JsonBlock label="Output" value={step.output} testId="run-step-output" />
      {step.details && Object.keys(step.details).length > 0 ? (
        <JsonBlock label="Details" value={step.details} testId="run-step-details" />
      ) : null}
    </section>
  );
}

function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="fd-run__fact" data-fact={name}>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}
