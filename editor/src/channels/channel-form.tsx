// Creating a channel: web chat (the widget, with its allowed Origins) or webhook (signed calls, replies to an
// outbound URL), bound to a workflow and optionally pinned to one of its published versions.
import { useState, type FormEvent } from "react";
import type { WorkflowSummary } from "../api";
import type { NewChannel } from "../api/workspace-types";
import { TextField } from "../ui/text-field";
import { parseOrigins } from "./channel-origins-text";

export function ChannelForm({
  workflows,
  onCreate,
}: {
  readonly workflows: readonly WorkflowSummary[];
  readonly onCreate: (input: NewChannel) => Promise<void>;
}) {
  const published = workflows.filter((w) => w.latestVersion !== null);
  const [kind, setKind] = useState<"web" | "webhook">("web");
  const [name, setName] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [origins, setOrigins] = useState(window.location.origin);
  const [outboundUrl, setOutboundUrl] = useState("");
  const chosen = workflow || published[0]?.id || "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    await onCreate({
      kind,
      workflow: chosen,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(kind === "web" ? { allowedOrigins: parseOrigins(origins) } : {}),
      ...(kind === "webhook" && outboundUrl.trim() ? { outboundUrl: outboundUrl.trim() } : {}),
    });
    setName("");
  }

  return (
    <section className="fd-card fd-channel-form" aria-labelledby="new-channel-title">
      <h2 id="new-channel-title" className="fd-section-title">
        New channel
      </h2>
      {published.length === 0 ? (
        <p className="fd-muted">Publish a workflow first: a channel runs a published version.</p>
      ) : null}
      <form onSubmit={(event) => void submit(event)} className="fd-channel-form__grid">
        <fieldset className="fd-field fd-channel-form__kind">
          <legend className="fd-field__label">Kind</legend>
          <label>
            <input type="radio" name="kind" checked={kind === "web"} onChange={() => setKind("web")} /> Web
            chat (widget)
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === "webhook"}
              onChange={() => setKind("webhook")}
            />{" "}
            Webhook
          </label>
        </fieldset>
        <TextField
          label="Name"
          name="channelName"
          value={name}
          placeholder={kind === "web" ? "Website chat" : "Helpdesk webhook"}
          onChange={(event) => setName(event.target.value)}
        />
        <div className="fd-field">
          <label className="fd-field__label" htmlFor="channel-workflow">
            Workflow
          </label>
          <select
            id="channel-workflow"
            className="fd-select"
            value={chosen}
            onChange={(event) => setWorkflow(event.target.value)}
          >
            {published.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} (v{w.latestVersion})
              </option>
            ))}
          </select>
        </div>
        {kind === "web" ? (
          <div className="fd-field fd-channel-form__wide">
            <label className="fd-field__label" htmlFor="channel-origins">
              Allowed origins (one per line, exact scheme://host:port)
            </label>
            <textarea
              id="channel-origins"
              className="fd-input fd-code"
              rows={3}
              value={origins}
              onChange={(event) => setOrigins(event.target.value)}
            />
          </div>
        ) : (
          <TextField
            label="Outbound URL (where replies are POSTed)"
            name="outboundUrl"
            type="url"
            value={outboundUrl}
            placeholder="https://helpdesk.example.com/flowdeck"
            onChange={(event) => setOutboundUrl(event.target.value)}
          />
        )}
        <div className="fd-channel-form__wide">
          <button type="submit" className="fd-button fd-button--primary" disabled={!chosen}>
            Create channel
          </button>
        </div>
      </form>
    </section>
  );
}
