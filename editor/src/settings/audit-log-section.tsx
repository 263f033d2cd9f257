// Who changed what, when: the audit log, newest first, filtered by action, target, actor and time.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { describeError } from "../api";
import type { WorkspaceApi } from "../api/workspace-api";
import type { AuditFilter, AuditRecord } from "../api/workspace-types";
import { TextField } from "../ui/text-field";

export function AuditLogSection({ workspace }: { readonly workspace: WorkspaceApi }) {
  const [items, setItems] = useState<readonly AuditRecord[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [draft, setDraft] = useState({ action: "", target: "", actor: "", since: "" });
  const [error, setError] = useState<string>();

  const load = useCallback(
    (applied: AuditFilter, cursor?: string) =>
      workspace.listAudit({ ...applied, limit: 25, ...(cursor ? { cursor } : {}) }).then(
        (page) => {
          setItems((before) => (cursor ? [...before, ...page.items] : page.items));
          setNext(page.nextCursor);
          setError(undefined);
        },
        (caught: unknown) => setError(describeError(caught)),
      ),
    [workspace],
  );
  useEffect(() => {
    void load(filter);
  }, [load, filter]);

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter({
      ...(draft.action.trim() ? { action: draft.action.trim() } : {}),
      ...(draft.target.trim() ? { target: draft.target.trim() } : {}),
      ...(draft.actor.trim() ? { actor: draft.actor.trim() } : {}),
      ...(draft.since ? { since: new Date(draft.since).toISOString() } : {}),
    });
  }

  return (
    <section className="fd-card" aria-labelledby="audit-title">
      <h2 id="audit-title" className="fd-section-title">
        Audit log
      </h2>
      <form className="fd-audit-filters" onSubmit={apply} aria-label="Filter the audit log">
        <TextField
          label="Action"
          name="auditAction"
          placeholder="workflow.*"
          value={draft.action}
          onChange={(event) => setDraft({ ...draft, action: event.target.value })}
        />
        <TextField
          label="Target"
          name="auditTarget"
          placeholder="workflow or workflow:<id>"
          value={draft.target}
          onChange={(event) => setDraft({ ...draft, target: event.target.value })}
        />
        <TextField
          label="Actor (user id)"
          name="auditActor"
          value={draft.actor}
          onChange={(event) => setDraft({ ...draft, actor: event.target.value })}
        />
        <TextField
          label="Since"
          name="auditSince"
          type="datetime-local"
          value={draft.since}
          onChange={(event) => setDraft({ ...draft, since: event.target.value })}
        />
        <button type="submit" className="fd-button">
          Filter
        </button>
      </form>
      {error ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="fd-table-card">
        <table className="fd-table" data-testid="audit-table">
          <caption className="fd-visually-hidden">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Actor</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>{new Date(item.at).toLocaleString()}</td>
                <td>
                  <code>{item.action}</code>
                </td>
                <td>
                  {item.targetType}:{item.targetId.slice(0, 8)}
                </td>
                <td>{item.actorId ? item.actorId.slice(0, 8) : "system"}</td>
                <td className="fd-code">{JSON.stringify(item.detail).slice(0, 120)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {items.length === 0 ? <p className="fd-muted">No entries match.</p> : null}
      </div>
      {next ? (
        <div className="fd-row">
          <button type="button" className="fd-button" onClick={() => void load(filter, next)}>
            Show older entries
          </button>
        </div>
      ) : null}
    </section>
  );
}
