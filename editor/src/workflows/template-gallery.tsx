// The templates as cards: title, what it does, how big it is, the subflows it brings, and "Use template". Shown
// in the empty workflow list and in the "Start from a template" dialog. A card whose flow the workspace already
// has offers to open it instead, and one the plan has no room for says so before anyone clicks.
import { useId, useState } from "react";
import { Link } from "wouter";
import { describeError } from "../api";
import type { TemplateList, WorkflowTemplate } from "../api/templates-api";
import { Icon } from "../ui/icon";
import { templateFacts, templateRoomProblem } from "./template-words";

export interface TemplateGalleryProps {
  readonly list: TemplateList | undefined;
  /** The list could not be loaded. */
  readonly error: string | undefined;
  /** Creates the template's drafts and opens the main one; throws the API's refusal. */
  readonly onUse: (template: WorkflowTemplate) => Promise<void>;
  /** Heading level of each card's title: below the page's or the dialog's own heading. */
  readonly titleLevel: 2 | 3;
}

export function TemplateGallery({ list, error, onUse, titleLevel }: TemplateGalleryProps) {
  const [using, setUsing] = useState<string>();
  const [refusal, setRefusal] = useState<string>();

  async function use(template: WorkflowTemplate) {
    if (using) return;
    setUsing(template.name);
    setRefusal(undefined);
    try {
      await onUse(template);
    } catch (caught) {
      setRefusal(describeError(caught));
    } finally {
      setUsing(undefined);
    }
  }

  if (error) {
    return (
      <div className="fd-alert fd-alert--error" role="alert">
        Could not load the templates. {error}
      </div>
    );
  }
  if (!list) {
    return (
      <div className="fd-loading" role="status">
        Loading templates…
      </div>
    );
  }
  const titles = new Map(list.items.map((t) => [t.name, t.title]));
  return (
    <div className="fd-templates">
      {refusal ? (
        <div className="fd-alert fd-alert--error" role="alert">
          {refusal}
        </div>
      ) : null}
      <ul className="fd-template-grid">
        {list.items.map((template) => (
          <li key={template.name}>
            <TemplateCard
              template={template}
              subflowTitles={template.subflows.map((name) => titles.get(name) ?? name)}
              roomProblem={templateRoomProblem(template, list)}
              busy={using === template.name}
              titleLevel={titleLevel}
              onUse={() => void use(template)}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

function TemplateCard({
  template,
  subflowTitles,
  roomProblem,
  busy,
  titleLevel,
  onUse,
}: {
  template: WorkflowTemplate;
  subflowTitles: readonly string[];
  roomProblem: string | undefined;
  busy: boolean;
  titleLevel: 2 | 3;
  onUse: () => void;
}) {
  const titleId = useId();
  const noteId = useId();
  const Title = titleLevel === 2 ? "h2" : "h3";
  const existing = template.existingWorkflowId;
  return (
    <article className="fd-template-card fd-card" aria-labelledby={titleId} data-testid={`template-${template.name}`}>
      <div className="fd-template-card__head">
        <span className="fd-workflow-name__icon" aria-hidden="true">
          <Icon name={template.subflows.length > 0 ? "sparkles" : "flow"} />
        </span>
        <Title id={titleId} className="fd-template-card__title">
          {template.title}
        </Title>
      </div>
      <p className="fd-template-card__text">{template.description}</p>
      <p className="fd-template-card__facts">{templateFacts(template)}</p>
      {subflowTitles.length > 0 ? (
        <p className="fd-template-card__subflows">Calls {subflowTitles.join(", ")}.</p>
      ) : null}
      <div className="fd-template-card__foot">
        {existing ? (
          <>
            <span className="fd-badge fd-badge--success" id={noteId}>
              In this workspace
            </span>
            <Link href={`/flows/${existing}`} className="fd-button fd-button--small" aria-describedby={noteId}>
              Open<span className="fd-visually-hidden"> {template.name}</span>
            </Link>
          </>
        ) : (
          <>
            {roomProblem ? (
              <span className="fd-template-card__note" id={noteId}>
                {roomProblem}
              </span>
            ) : (
              <code className="fd-template-card__name">{template.name}</code>
            )}
            <button
              type="button"
              className="fd-button fd-button--small fd-button--primary"
              // Not `disabled`: a disabled button cannot be focused, and its reason would go unheard.
              aria-disabled={roomProblem || busy ? true : undefined}
              aria-describedby={roomProblem ? noteId : undefined}
              onClick={roomProblem || busy ? undefined : onUse}
            >
              {busy ? "Adding…" : "Use template"}
              <span className="fd-visually-hidden"> {template.title}</span>
            </button>
          </>
        )}
      </div>
    </article>
  );
}
