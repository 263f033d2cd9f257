// The tenant's workflows: create (blank or from a template), import, open, rename, export, delete. Viewers see the
// list and can open and export, nothing else (the server refuses the rest anyway).
import { useMemo, useRef, useState, type ChangeEvent } from "react";
import { Link, useLocation } from "wouter";
import { describeError, errorNotice, type WorkflowSummary } from "../api";
import { createTemplatesApi, type WorkflowTemplate } from "../api/templates-api";
import { useApi, useSession } from "../app/api-context";
import { canEdit } from "../app/roles";
import { Icon } from "../ui/icon";
import { useToast } from "../ui/toasts";
import { usePageTitle } from "../ui/use-page-title";
import { useWorkflows } from "./use-workflows";
import { useWorkflowTemplates } from "./use-workflow-templates";
import { TemplateGallery } from "./template-gallery";
import { TEMPLATES_ARE_DRAFTS, templateUsedNotice } from "./template-words";
import { DeleteWorkflowDialog, NewWorkflowDialog, RenameWorkflowDialog, TemplateDialog } from "./workflow-dialogs";
import { readYamlFile } from "./workflow-files";
import { relativeTime } from "./relative-time";

export function WorkflowListPage() {
  const api = useApi();
  const session = useSession();
  const notify = useToast();
  const [, navigate] = useLocation();
  const list = useWorkflows(api, session?.tenant.id);
  const editable = canEdit(session?.tenant.role);
  const [query, setQuery] = useState("");
  const [creating, setCreating] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const [renaming, setRenaming] = useState<WorkflowSummary>();
  const [deleting, setDeleting] = useState<WorkflowSummary>();
  const fileInput = useRef<HTMLInputElement>(null);
  usePageTitle("Workflows");
  const templatesApi = useMemo(() => createTemplatesApi(api), [api]);
  const empty = list.items?.length === 0;
  const templates = useWorkflowTemplates(templatesApi, session?.tenant.id, editable && (choosing || empty));

  /** Creates the template's drafts, then opens the main one in the builder, as "New workflow" does. */
  async function applyTemplate(template: WorkflowTemplate) {
    let used;
    try {
      used = await templatesApi.applyTemplate(template.name);
    } catch (caught) {
      // What changed meanwhile (a workflow of that name, the room left) shows on the cards too.
      void templates.reload();
      throw caught;
    }
    const notice = templateUsedNotice(template, used);
    notify(notice.text, "info", notice.lines);
    setChoosing(false);
    navigate(`/flows/${used.items[0]!.id}`);
  }

  const visible = (list.items ?? []).filter((w) => w.name.includes(query.trim().toLowerCase()));

  async function onImport(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    try {
      const draft = await list.importYaml(await readYamlFile(file));
      notify(`Imported ${draft.name}.`);
    } catch (caught) {
      const notice = errorNotice(`Could not import ${file.name}`, caught);
      notify(notice.text, "error", notice.lines);
    }
  }

  async function run(action: () => Promise<void>, done: string) {
    try {
      await action();
      notify(done);
    } catch (caught) {
      notify(describeError(caught), "error");
    }
  }

  const actions = editable ? (
    <>
      <button type="button" className="fd-button" onClick={() => fileInput.current?.click()}>
        <Icon name="upload" />
        Import YAML
      </button>
      <button type="button" className="fd-button" onClick={() => setChoosing(true)}>
        <Icon name="sparkles" />
        Start from a template
      </button>
      <button type="button" className="fd-button fd-button--primary" onClick={() => setCreating(true)}>
        <Icon name="plus" />
        New workflow
      </button>
    </>
  ) : null;

  return (
    <div className="fd-page">
      <header className="fd-page-header">
        <div>
          <h1 className="fd-page-header__title">Workflows</h1>
          <p className="fd-page-header__subtitle">Conversations your assistant can handle, from greeting to hand-off.</p>
        </div>
        <div className="fd-page-header__actions">{actions}</div>
      </header>
      <input
        ref={fileInput}
        type="file"
        accept=".yaml,.yml,application/yaml,text/yaml"
        className="fd-visually-hidden"
        tabIndex={-1}
        aria-label="Import a workflow YAML file"
        onChange={(e) => void onImport(e)}
        data-testid="import-file"
      />
      {!editable ? (
        <div className="fd-alert fd-alert--info fd-readonly-note" role="note">
          <Icon name="eye" />
          You have view access in this workspace. Ask an admin for the editor role to make changes.
        </div>
      ) : null}
      {list.error ? (
        <div className="fd-alert fd-alert--error" role="alert">
          {list.error}
        </div>
      ) : null}
      {list.items === undefined && !list.error ? (
        <div className="fd-loading" role="status">
          Loading workflows…
        </div>
      ) : null}
      {list.items?.length === 0 ? (
        <section className="fd-card fd-empty" aria-labelledby="empty-title">
          <span className="fd-empty__art" aria-hidden="true">
            <Icon name="sparkles" />
          </span>
          <h2 id="empty-title" className="fd-empty__title">
            No workflows yet
          </h2>
          <p className="fd-empty__text">
            {editable
              ? "Start from one of the templates below, draw your own on the canvas, or import one you already have as YAML."
              : "Nothing to see yet. Workflows appear here once an editor creates them."}
          </p>
          {editable ? <div className="fd-empty__actions">{actions}</div> : null}
        </section>
      ) : null}
      {empty && editable ? (
        <section className="fd-template-section" aria-labelledby="templates-title">
          <h2 id="templates-title" className="fd-section-title">
            Start from a template
          </h2>
          <p className="fd-muted fd-template-section__text">{TEMPLATES_ARE_DRAFTS}</p>
          <TemplateGallery list={templates.list} error={templates.error} onUse={applyTemplate} titleLevel={3} />
        </section>
      ) : null}
      {list.items && list.items.length > 0 ? (
        <section aria-label="Workflow list">
          <div className="fd-toolbar">
            <div className="fd-search">
              <Icon name="search" />
              <label htmlFor="workflow-search" className="fd-visually-hidden">
                Search workflows
              </label>
              <input
                id="workflow-search"
                type="search"
                className="fd-input fd-input--search"
                placeholder="Search workflows"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
            </div>
            <span className="fd-muted">
              {visible.length} of {list.items.length}
            </span>
          </div>
          <div className="fd-card fd-table-card">
            <table className="fd-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last change</th>
                  <th scope="col" className="fd-table__actions">
                    <span className="fd-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((workflow) => (
                  <tr key={workflow.id} data-testid="workflow-row">
                    <td>
                      <div className="fd-workflow-name">
                        <span className="fd-workflow-name__icon" aria-hidden="true">
                          <Icon name="flow" />
                        </span>
                        <Link href={`/flows/${workflow.id}`} className="fd-workflow-name__link">
                          {workflow.name}
                        </Link>
                      </div>
                    </td>
                    <td>
                      {workflow.latestVersion ? (
                        <span className="fd-workflow-status">
                          <span className="fd-badge fd-badge--success">Published v{workflow.latestVersion}</span>
                          {workflow.draftChanged ? (
                            <span className="fd-badge fd-badge--warning" data-testid="unpublished-changes">
                              Unpublished changes
                            </span>
                          ) : null}
                          <Link href={`/flows/${workflow.id}/versions`} className="fd-workflow-status__link">
                            Versions<span className="fd-visually-hidden"> of {workflow.name}</span>
                          </Link>
                        </span>
                      ) : (
                        <span className="fd-badge">Draft</span>
                      )}
                    </td>
                    <td className="fd-muted" title={new Date(workflow.updatedAt).toLocaleString()}>
                      {relativeTime(workflow.updatedAt)}
                    </td>
                    <td className="fd-table__actions">
                      <span className="fd-table__actions-inner">
                        <button type="button" className="fd-button fd-button--small" onClick={() => navigate(`/flows/${workflow.id}`)}>
                          {editable ? "Edit" : "View"}
                          <span className="fd-visually-hidden"> {workflow.name}</span>
                        </button>
                        {editable ? (
                          <button
                            type="button"
                            className="fd-icon-button"
                            aria-label={`Rename ${workflow.name}`}
                            title="Rename"
                            onClick={() => setRenaming(workflow)}
                          >
                            <Icon name="pencil" />
                          </button>
                        ) : null}
                        <button
                          type="button"
                          className="fd-icon-button"
                          aria-label={`Export ${workflow.name} as YAML`}
                          title="Export YAML"
                          onClick={() => void run(() => list.exportYaml(workflow.id), `Downloaded ${workflow.name}.yaml.`)}
                        >
                          <Icon name="download" />
                        </button>
                        {editable ? (
                          <button
                            type="button"
                            className="fd-icon-button"
                            aria-label={`Delete ${workflow.name}`}
                            title="Delete"
                            onClick={() => setDeleting(workflow)}
                          >
                            <Icon name="trash" />
                          </button>
                        ) : null}
                      </span>
                    </td>
                  </tr>
                ))}
                {visible.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="fd-muted">
                      No workflow matches “{query}”.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <NewWorkflowDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreate={async (name, description) => {
          const draft = await list.create(name, description);
          navigate(`/flows/${draft.id}`);
        }}
      />
      <TemplateDialog
        open={choosing}
        list={templates.list}
        error={templates.error}
        onClose={() => setChoosing(false)}
        onUse={applyTemplate}
      />
      <RenameWorkflowDialog
        current={renaming?.name}
        onClose={() => setRenaming(undefined)}
        onRename={async (name) => {
          if (renaming) await list.rename(renaming.id, name);
          notify(`Renamed to ${name}.`);
        }}
      />
      <DeleteWorkflowDialog
        name={deleting?.name}
        onClose={() => setDeleting(undefined)}
        onDelete={async () => {
          const target = deleting;
          setDeleting(undefined);
          if (target) await run(() => list.remove(target.id), `Deleted ${target.name}.`);
        }}
      />
    </div>
  );
}
