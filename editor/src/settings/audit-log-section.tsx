// Who changed what, when: the audit log, newest first, filtered by action, target, actor and time.
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { describeError } from "../api";
import type { WorkspaceApi } from "../api/workspace-api";
import type { AuditFilter, AuditRecord } from "../api/workspace-types";
import { useApi } from "../app/api-context";
import { TextField } from "../ui/text-field";
import { actorChoices, actorName, NO_NAMES, targetName, type AuditNames } from "./audit-names";

/** A name where one is known (the id on hover), else the whole id: cut short on screen only, copied whole. */
function Identified({ id, name }: { readonly id: string; readonly name: string | undefined }) {
  return name ? (
    <span title={id}>{name}</span>
  ) : (
    <code className="fd-audit-id" title={id}>
      {id}
    </code>
  );
}

export function AuditRow({ item, names }: { readonly item: AuditRecord; readonly names: AuditNames }) {
  return (
    <tr>
      <td>{new Date(item.at).toLocaleString()}</td>
      <td>
        <code>{item.action}</code>
      </td>
      <td>
        {item.targetType} <Identified id={item.targetId} name={targetName(item, names)} />
      </td>
      <td>{item.actorId ? <Identified id={item.actorId} name={actorName(item, names)} /> : "system"}</td>
      <td className="fd-code">{JSON.stringify(item.detail).slice(0, 120)}</td>
    </tr>
  );
}

/**
 * Who acted: a member picked from the workspace's list by email, any user id (people who left, API keys), or
 * `system`; empty for anyone. A free field with suggestions rather than a select, so ids still fit. The label
 * says what it takes rather than a hint line: the filters sit in one row, aligned at their inputs.
 */
export function ActorField({
  value,
  names,
  onChange,
}: {
  readonly value: string;
  readonly names: AuditNames;
  readonly onChange: (value: string) => void;
}) {
  const listId = useId();
  return (
    <>
      <TextField
        label="Actor (email or user id)"
        name="auditActor"
        placeholder="anyone"
        list={listId}
        autoComplete="off"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {actorChoices(names).map((email) => (
          <option key={email} value={email} />
        ))}
        <option value="system">Changes nobody made in person</option>
      </datalist>
    </>
  );
}

export function AuditLogSection({ workspace }: { readonly workspace: WorkspaceApi }) {
  const api = useApi();
  const [names, setNames] = useState<AuditNames>(NO_NAMES);
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
        (caught: unknown) => {
          setError(describeError(caught));
          // A refused filter (an email no member has) must not leave the previous filter's rows under it.
          if (!cursor) {
            setItems([]);
            setNext(null);
          }
        },
      ),
    [workspace],
  );
  useEffect(() => {
    void load(filter);
  }, [load, filter]);
  // Best effort: without the lists the table shows whole ids, which still identify every entry.
  useEffect(() => {
    let live = true;
    void Promise.all([api.listMembers(), api.listWorkflows()]).then(
      ([members, workflows]) => {
        if (!live) return;
        setNames({
          people: new Map(members.map((member) => [member.userId, member.email])),
          workflows: new Map(workflows.map((workflow) => [workflow.id, workflow.name])),
        });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);

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
        <ActorField value={draft.actor} names={names} onChange={(actor) => setDraft({ ...draft, actor })} />
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
              <AuditRow key={item.id} item={item} names={names} />
            ))}
          </tbody>
        </table>
        {items.length === 0 && !error ? <p className="fd-muted">No entries match.</p> : null}
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
