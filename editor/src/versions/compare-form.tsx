// Pick two versions (or a version and the draft) to compare.
import { useState, type FormEvent } from "react";
import type { VersionRecord } from "../api";

export type Side = number | "draft";

const parseSide = (value: string): Side => (value === "draft" ? "draft" : Number(value));

export function CompareForm({
  versions,
  hasDraftChanges,
  onCompare,
}: {
  versions: readonly VersionRecord[];
  hasDraftChanges: boolean;
  onCompare: (from: Side, to: Side) => void;
}) {
  // Default: the one before the live version against the live one (what the last publish changed).
  const [from, setFrom] = useState(String(versions[1]?.version ?? versions[0]?.version ?? 1));
  const [to, setTo] = useState(hasDraftChanges ? "draft" : String(versions[0]?.version ?? 1));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCompare(parseSide(from), parseSide(to));
  };
  const options = (
    <>
      {versions.map((v) => (
        <option key={v.version} value={String(v.version)}>
          v{v.version}
        </option>
      ))}
      <option value="draft">Draft</option>
    </>
  );
  return (
    <form className="fd-versions__compare" onSubmit={submit} aria-label="Compare two versions">
      <h3 className="fd-versions__compare-title">Compare</h3>
      <label className="fd-field">
        <span className="fd-field__label">From</span>
        <select
          className="fd-select"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          data-testid="compare-from"
        >
          {options}
        </select>
      </label>
      <label className="fd-field">
        <span className="fd-field__label">To</span>
        <select
          className="fd-select"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          data-testid="compare-to"
        >
          {options}
        </select>
      </label>
      <button type="submit" className="fd-button" data-testid="compare-submit">
        Compare
      </button>
    </form>
  );
}
