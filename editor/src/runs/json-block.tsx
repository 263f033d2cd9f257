// A value as pretty JSON under a disclosure: open when it is short enough to read at a glance, closed when it
// would push the rest of the step off the screen.
export const COLLAPSE_LINES = 12;

export function JsonBlock({ label, value, testId }: { label: string; value: unknown; testId?: string }) {
  const text = value === undefined ? "(nothing)" : (JSON.stringify(value, null, 2) ?? String(value));
  const lines = text.split("\n").length;
  return (
    <details className="fd-run__json" open={lines <= COLLAPSE_LINES} data-testid={testId}>
      <summary>
        {label}
        {lines > COLLAPSE_LINES ? <span className="fd-muted"> ({lines} lines)</span> : null}
      </summary>
      <pre>{text}</pre>
    </details>
  );
}
