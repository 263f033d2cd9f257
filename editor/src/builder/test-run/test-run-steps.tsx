// The steps of a test run, newest last: node, status, time, and what the step reported (route, confidence,
// tier and model of a router; tokens and cost of a model call; the error of a failed step; its notes, such as a
// blank reply left unsent), with its input (the previous step's output), its output and the variables after it.
import {
  durationMs,
  factText,
  inputOf,
  routingFacts,
  stepNotes,
  varsAfter,
  type TraceStep,
} from "./test-run-trace";

export function TestRunSteps({ steps }: { steps: readonly TraceStep[] }) {
  if (steps.length === 0)
    return <p className="fdb-muted fdb-test-run__empty">Steps appear here as the flow runs.</p>;
  return (
    <ol className="fdb-test-run__steps" aria-label="Steps" data-testid="test-run-steps">
      {steps.map((step, index) => {
        const ms = durationMs(step);
        const input = inputOf(steps, index);
        const vars = varsAfter(steps, index);
        return (
          <li
            key={step.stepId}
            className={`fdb-test-run__step fdb-test-run__step--${step.status}`}
            data-testid={`test-run-step-${step.node}`}
          >
            <div className="fdb-test-run__step-head">
              <strong>{step.node}</strong>
              <span className="fdb-muted">{step.type}</span>
              <span className="fdb-test-run__status">{step.status}</span>
              {ms !== undefined && <span className="fdb-muted">{ms} ms</span>}
            </div>
            <dl className="fdb-test-run__facts">
              {step.port && step.port !== "out" && <Fact name="port" value={step.port} />}
              {Object.entries(routingFacts(step)).map(([key, value]) => (
                <Fact key={key} name={key} value={factText(value)} />
              ))}
              {step.usage && (
                <Fact
                  name="tokens"
                  value={`${step.usage.promptTokens} in / ${step.usage.completionTokens} out · $${(step.costUsd ?? step.usage.costUsd).toFixed(4)}`}
                />
              )}
              {step.savedUsd ? <Fact name="saved" value={`$${step.savedUsd.toFixed(4)}`} /> : null}
              {step.error && <Fact name="error" value={step.error} />}
              {stepNotes(step.details).map((note, i) => (
                <Fact key={`note-${i}`} name="note" value={note} />
              ))}
            </dl>
            {input !== undefined && (
              <details className="fdb-test-run__output" data-testid="test-run-step-input">
                <summary>Input</summary>
                <pre>{JSON.stringify(input, null, 2)}</pre>
              </details>
            )}
            {step.output !== undefined && (
              <details className="fdb-test-run__output">
                <summary>Output</summary>
                <pre>{JSON.stringify(step.output, null, 2)}</pre>
              </details>
            )}
            {Object.keys(vars).length > 0 && (
              <details className="fdb-test-run__output" data-testid="test-run-step-vars">
                <summary>Variables after</summary>
                <pre>{JSON.stringify(vars, null, 2)}</pre>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <div className="fdb-test-run__fact" data-fact={name}>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}
