// The list's dialogs: new workflow, start from a template, rename, delete.
import { useState } from "react";
import { describeError } from "../api";
import type { TemplateList, WorkflowTemplate } from "../api/templates-api";
import { Dialog } from "../ui/dialog";
import { TextField } from "../ui/text-field";
import { NAME_RULE, TITLE_RULE, titleProblem, toWorkflowName, workflowNameProblem } from "./workflow-yaml";
import { TemplateGallery } from "./template-gallery";
import { TEMPLATES_ARE_DRAFTS } from "./template-words";

export function NewWorkflowDialog({
  open,
  onClose,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (name: string, description: string) => Promise<void>;
}) {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const name = toWorkflowName(title);

  function close() {
    setTitle("");
    setDescription("");
    setError(undefined);
    onClose();
  }

  async function submit() {
    const problem = titleProblem(title);
    if (problem) return setError(problem);
    setBusy(true);
    try {
      await onCreate(name, description.trim());
      close();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      title="New workflow"
      description="Starts with a greeting flow you can build on."
      onClose={close}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" className="fd-button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="fd-button fd-button--primary" disabled={busy}>
            Create workflow
          </button>
        </>
      }
    >
      <TextField
        label="Name"
        name="workflowName"
        autoFocus
        value={title}
        onChange={(e) => {
          setTitle(e.target.value);
          setError(undefined);
        }}
        placeholder="Order status"
        hint={name ? <>Saved as <code>{name}</code></> : TITLE_RULE}
        error={error}
      />
      <TextField
        label="Description (optional)"
        name="description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        placeholder="Answers where-is-my-order questions"
      />
    </Dialog>
  );
}

export function TemplateDialog({
  open,
  list,
  error,
  onClose,
  onUse,
}: {
  open: boolean;
  list: TemplateList | undefined;
  error: string | undefined;
  onClose: () => void;
  onUse: (template: WorkflowTemplate) => Promise<void>;
}) {
  return (
    <Dialog
      open={open}
      wide
      title="Start from a template"
      description={TEMPLATES_ARE_DRAFTS}
      onClose={onClose}
      actions={
        <button type="button" className="fd-button" onClick={onClose}>
          Close
        </button>
      }
    >
      {/* Focusable so the keyboard can scroll it; named so a screen reader says where focus landed. */}
      <div className="fd-dialog__scroll" role="region" aria-label="Templates" tabIndex={0}>
        <TemplateGallery list={list} error={error} onUse={onUse} titleLevel={3} />
      </div>
    </Dialog>
  );
}

export function RenameWorkflowDialog({
  current,
  onClose,
  onRename,
}: {
  current: string | undefined;
  onClose: () => void;
  onRename: (name: string) => Promise<void>;
}) {
  const [value, setValue] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const name = value ?? current ?? "";

  function close() {
    setValue(undefined);
    setError(undefined);
    onClose();
  }

  async function submit() {
    const problem = workflowNameProblem(name);
    if (problem) return setError(problem);
    setBusy(true);
    try {
      await onRename(name);
      close();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={current !== undefined}
      title="Rename workflow"
      description="Changes the name in the YAML. Channels that use the old name need updating."
      onClose={close}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" className="fd-button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="fd-button fd-button--primary" disabled={busy}>
            Rename
          </button>
        </>
      }
    >
      <TextField
        label="Name"
        name="workflowName"
        autoFocus
        value={name}
        onChange={(e) => {
          setValue(e.target.value);
          setError(undefined);
        }}
        hint={NAME_RULE}
        error={error}
      />
    </Dialog>
  );
}

export function DeleteWorkflowDialog({
  name,
  onClose,
  onDelete,
}: {
  name: string | undefined;
  onClose: () => void;
  onDelete: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    try {
      await onDelete();
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog
      open={name !== undefined}
      title={`Delete ${name ?? ""}?`}
      description="The workflow disappears from the list. Published versions stay for the runs that used them."
      onClose={onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" className="fd-button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="submit" className="fd-button fd-button--danger" disabled={busy}>
            Delete workflow
          </button>
        </>
      }
    />
  );
}
