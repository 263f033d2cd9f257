// Text the server does not have is not dropped silently: leaving the builder in-app asks first (the app's
// router consults ui/leave-guard.ts; a reload or close is autosave's beforeunload), and text that could not be
// saved is kept in this tab (kept-draft.ts) and offered back on the next visit.
import { useEffect, useState } from "react";
import { useStore } from "zustand";
import { Dialog } from "../ui/dialog";
import { installLeaveGuard } from "../ui/leave-guard";
import type { Autosave } from "./autosave";
import { useBuilderStores } from "./builder-context";
import { forgetKeptDraft, keepUnsavedDrafts, readKeptDraft, type KeptDraft } from "./kept-draft";
import { leaveQuestion, leavingLosesText, unsavedKind } from "./unsaved-text";

interface Asking {
  readonly question: string;
  readonly leave: () => void;
}

export function UnsavedChanges({ workflowId, autosave }: { workflowId: string; autosave: Autosave }) {
  const { document } = useBuilderStores();
  // Read before this visit's first change can overwrite it.
  const [offer, setOffer] = useState<KeptDraft | undefined>(() => {
    const kept = readKeptDraft(workflowId);
    return kept && kept.text !== document.getState().text ? kept : undefined;
  });
  const [asking, setAsking] = useState<Asking | undefined>();
  const savedText = useStore(autosave.store, (s) => s.savedText);

  useEffect(
    () => keepUnsavedDrafts({ workflowId, document, save: autosave.store }),
    [workflowId, document, autosave],
  );
  useEffect(
    () =>
      installLeaveGuard({
        blocks: () => leavingLosesText(unsavedKind(autosave.store.getState(), document.getState())),
        ask: (leave) => {
          const kind = unsavedKind(autosave.store.getState(), document.getState());
          if (leavingLosesText(kind)) setAsking({ question: leaveQuestion(kind), leave });
          else leave();
        },
      }),
    [document, autosave],
  );

  const restore = () => {
    if (!offer) return;
    // An ordinary edit: one Undo brings back what the server had.
    document.getState().setText(offer.text, { origin: "yaml" });
    setOffer(undefined);
  };
  const discard = () => {
    forgetKeptDraft(workflowId);
    setOffer(undefined);
  };

  return (
    <>
      {offer && (
        <div className="fdb-banner fdb-banner--warning" role="status" data-testid="kept-draft-banner">
          <p>
            You left this workflow with YAML that was not saved; this tab kept it.
            {offer.base === savedText
              ? ""
              : " The saved workflow has changed since: restoring replaces those changes once it saves."}
          </p>
          <div className="fdb-banner__actions">
            <button type="button" className="fdb-button" onClick={restore} data-testid="kept-draft-restore">
              Restore my YAML
            </button>
            <button type="button" className="fdb-button" onClick={discard} data-testid="kept-draft-discard">
              Discard it
            </button>
          </div>
        </div>
      )}
      <Dialog
        open={asking !== undefined}
        title="Leave without saving?"
        description={asking?.question}
        onClose={() => setAsking(undefined)}
        onSubmit={() => setAsking(undefined)}
        actions={
          <>
            <button
              type="button"
              className="fd-button fd-button--danger"
              onClick={() => {
                const leave = asking?.leave;
                setAsking(undefined);
                leave?.();
              }}
              data-testid="leave-confirm"
            >
              Leave
            </button>
            {/* Submit, so Enter stays: the safe answer is the default. */}
            <button type="submit" className="fd-button fd-button--primary" autoFocus data-testid="leave-stay">
              Stay
            </button>
          </>
        }
      >
        <p className="fd-dialog__description">
          This tab keeps a copy of the text, offered back when you return.
        </p>
      </Dialog>
    </>
  );
}
