// One channel: its settings (Origins or outbound URL, pinned version), a webhook channel's deliveries and how to
// call it, and its actions (rotate, delete).
import { useEffect, useId, useState } from "react";
import type { VersionRecord, WorkflowSummary } from "../api";
import { useApi } from "../app/api-context";
import type { WorkspaceApi } from "../api/workspace-api";
import type { Channel, ChannelChange } from "../api/workspace-types";
import { ChannelDeliveries } from "./channel-deliveries";
import { parseOrigins } from "./channel-origins-text";
import { webhookUrlOf } from "./webhook-examples";
import { WebhookHowTo } from "./webhook-how-to";

export function ChannelRow({
  channel,
  workspace,
  workflow,
  onSave,
  onRotate,
  onDelete,
}: {
  readonly channel: Channel;
  readonly workspace: WorkspaceApi;
  readonly workflow: WorkflowSummary | undefined;
  readonly onSave: (change: ChannelChange) => Promise<void>;
  readonly onRotate: () => Promise<void>;
  readonly onDelete: () => Promise<void>;
}) {
  const api = useApi();
  const id = useId();
  const [versions, setVersions] = useState<readonly VersionRecord[]>([]);
  const [origins, setOrigins] = useState(channel.allowedOrigins.join("\n"));
  const [outboundUrl, setOutboundUrl] = useState(channel.outboundUrl ?? "");
  const [pin, setPin] = useState(channel.pinnedVersion === null ? "" : String(channel.pinnedVersion));

  useEffect(() => {
    api.listVersions(channel.workflowId).then(setVersions, () => setVersions([]));
  }, [api, channel.workflowId]);

  function save() {
    return onSave({
      pinnedVersion: pin === "" ? null : Number(pin),
      ...(channel.kind === "web" ? { allowedOrigins: parseOrigins(origins) } : {}),
      ...(channel.kind === "webhook" && outboundUrl.trim() ? { outboundUrl: outboundUrl.trim() } : {}),
    });
  }

  return (
    <li className="fd-card fd-channel" data-testid="channel-row" aria-labelledby={`${id}-name`}>
      <div className="fd-channel__head">
        <h3 id={`${id}-name`} className="fd-channel__name">
          {channel.name}
        </h3>
        <span className="fd-badge">{channel.kind === "web" ? "Web chat" : "Webhook"}</span>
        <span className="fd-muted">
          runs {workflow?.name ?? "a deleted workflow"},{" "}
          {channel.pinnedVersion === null
            ? "latest published version"
            : `pinned to v${channel.pinnedVersion}`}
        </span>
      </div>
      {channel.kind === "webhook" ? <ChannelDeliveries channelId={channel.id} workspace={workspace} /> : null}
      <div className="fd-channel__fields">
        {channel.kind === "web" ? (
          <div className="fd-field">
            <label className="fd-field__label" htmlFor={`${id}-origins`}>
              Allowed origins (one per line)
            </label>
            <textarea
              id={`${id}-origins`}
              className="fd-input fd-code"
              rows={Math.min(6, Math.max(2, channel.allowedOrigins.length))}
              value={origins}
              onChange={(event) => setOrigins(event.target.value)}
            />
          </div>
        ) : (
          <div className="fd-field">
            <label className="fd-field__label" htmlFor={`${id}-url`}>
              Outbound URL
            </label>
            <input
              id={`${id}-url`}
              className="fd-input"
              type="url"
              value={outboundUrl}
              onChange={(event) => setOutboundUrl(event.target.value)}
            />
          </div>
        )}
        <div className="fd-field">
          <label className="fd-field__label" htmlFor={`${id}-pin`}>
            Version
          </label>
          <select
            id={`${id}-pin`}
            className="fd-select"
            value={pin}
            onChange={(event) => setPin(event.target.value)}
          >
            <option value="">Latest published</option>
            {versions.map((v) => (
              <option key={v.version} value={String(v.version)}>
                v{v.version}
                {v.note ? ` — ${v.note}` : ""}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="fd-row">
        <button type="button" className="fd-button fd-button--primary" onClick={() => void save()}>
          Save changes
        </button>
        <button type="button" className="fd-button" onClick={() => void onRotate()}>
          {channel.kind === "web" ? "Rotate key and show snippet" : "Rotate secret"}
        </button>
        <button type="button" className="fd-button fd-button--danger" onClick={() => void onDelete()}>
          Delete
        </button>
      </div>
      {channel.kind === "webhook" ? (
        <WebhookHowTo
          // The server's own URL (FLOWDECK_PUBLIC_URL or how it was reached); the editor's origin only when an
          // older server left it out, since behind a proxy the two differ.
          url={channel.webhookUrl ?? webhookUrlOf(api.baseUrl, channel.id, window.location.href)}
        />
      ) : null}
    </li>
  );
}
