// Confirm a rollback: it publishes the old version's YAML as a new version and replaces the draft with it.
import { useState } from "react";
import { Dialog } from "../ui/dialog";

export function RollbackDialog({
  version,
  live,
  onCancel,
  onConfirm,
}: {
  version: number;
  live: number;
  onCancel: () => void;
  onConfirm: (note: string) => Promise<void>;
}) {
  const [note, setNote] = useState(`Rollback to version ${version}`);
  const [busy, setBusy] = useState(false);
  const confirm = () => {
    if (busy) return;
    setBusy(true);
    void onConfirm(note.trim()).finally(() => setBusy(false));
  };
  return (
    <Dialog
      open
      title={`Roll back to v${version}?`}
      description={`v${version} is published again as v${live + 1} and becomes live; the draft is replaced by it too. v${live} stays in the list.`}
      onClose={onCancel}
      onSubmit={confirm}
      actions={
        <>
          <button type="button" className="fd-button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="fd-button fd-button--primary"
            disabled={busy}
            data-testid="rollback-confirm"
          >
            {busy ? "Rolling back…" : `Roll back to v${version}`}
          </button>
        </>
      }
    >
      <label className="fd-field">
        <span className="fd-field__label">Note</span>
        <input className="fd-input" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
    </Dialog>
  );
}
