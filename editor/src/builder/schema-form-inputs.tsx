import type { Problem } from "@flowdeck/schemas";
import { useState } from "react";

// The form's leaf inputs that need their own state while typing, and the problem list under a field.

export function NumberInput({
  common,
  value,
  placeholder,
  onChange,
}: {
  common: Record<string, unknown>;
  value: unknown;
  placeholder: unknown;
  onChange(value: number | undefined): void;
}) {
  // Kept as text while typing, so "1." or "-" are not thrown away before the number is complete.
  const [draft, setDraft] = useState<string | undefined>();
  const shown = draft ?? (typeof value === "number" ? String(value) : "");
  return (
    <input
      {...common}
      type="number"
      value={shown}
      placeholder={placeholder === undefined ? undefined : String(placeholder)}
      onChange={(e) => {
        setDraft(e.target.value);
        if (e.target.value === "") onChange(undefined);
        else if (Number.isFinite(e.target.valueAsNumber)) onChange(e.target.valueAsNumber);
      }}
      onBlur={() => setDraft(undefined)}
    />
  );
}

/** Values the form cannot draw (a free-form `output` object): edited as JSON, applied when it parses. */
export function JsonFallback({
  common,
  value,
  onChange,
}: {
  common: Record<string, unknown>;
  value: unknown;
  onChange(value: unknown): void;
}) {
  const [draft, setDraft] = useState<string | undefined>();
  const [error, setError] = useState(false);
  return (
    <textarea
      {...common}
      rows={3}
      className={error ? "fdb-invalid" : undefined}
      value={draft ?? (value === undefined ? "" : JSON.stringify(value, null, 2))}
      onChange={(e) => {
        setDraft(e.target.value);
        try {
          onChange(e.target.value.trim() === "" ? undefined : JSON.parse(e.target.value));
          setError(false);
        } catch {
          setError(true);
        }
      }}
      onBlur={() => setDraft(undefined)}
    />
  );
}

export function FieldProblems({ id, problems }: { id: string | undefined; problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="fdb-field__problems" role="list">
      {problems.map((p, i) => (
        <li key={i} className={`fdb-problem fdb-problem--${p.severity}`}>
          <code>{p.code}</code> {p.message}
        </li>
      ))}
    </ul>
  );
}
