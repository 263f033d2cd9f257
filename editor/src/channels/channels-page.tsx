// Channels (admins and owners): where customers reach a workflow. Web chat embeds the widget on a site; a
// webhook connects a helpdesk or messaging platform. Keys and secrets are shown once, on create and rotate.
import { useCallback, useEffect, useMemo, useState } from "react";
import { describeError, type WorkflowSummary } from "../api";
import { createWorkspaceApi } from "../api/workspace-api";
import type { Channel, ChannelChange, ChannelCredentials, NewChannel } from "../api/workspace-types";
import { useApi, useSession } from "../app/api-context";
import { canInvite } from "../app/roles";
import { useToast } from "../ui/toasts";
import { ChannelCredentialsPanel } from "./channel-credentials";
import { ChannelForm } from "./channel-form";
import { ChannelRow } from "./channel-row";
import { usePageTitle } from "../ui/use-page-title";

export function ChannelsPage() {
  usePageTitle("Channels");
  const api = useApi();
  const session = useSession();
  const notify = useToast();
  const workspace = useMemo(() => createWorkspaceApi(api), [api]);
  const [channels, setChannels] = useState<readonly Channel[]>();
  const [workflows, setWorkflows] = useState<readonly WorkflowSummary[]>([]);
  const [shown, setShown] = useState<{ channel: Channel; credentials: ChannelCredentials }>();
  const [error, setError] = useState<string>();
  const allowed = canInvite(session?.tenant.role);

  const load = useCallback(
    () =>
      Promise.all([workspace.listChannels(), api.listWorkflows()]).then(
        ([list, flows]) => {
          setChannels(list);
          setWorkflows(flows);
        },
        (caught: unknown) => setError(describeError(caught)),
      ),
    [api, workspace],
  );
  useEffect(() => {
    if (allowed) void load();
  }, [allowed, load]);

  async function attempt(action: () => Promise<void>, done?: string) {
    setError(undefined);
    try {
      await action();
      if (done) notify(done);
      await load();
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  const create = (input: NewChannel) =>
    attempt(async () => {
      const { publishableKey, embed, webhookSecret, webhookPath, webhookUrl, ...channel } =
        await workspace.createChannel(input);
      setShown({ channel, credentials: { publishableKey, embed, webhookSecret, webhookPath, webhookUrl } });
    }, "Channel created.");
  const rotate = (id: string) =>
    attempt(async () => {
      const { publishableKey, embed, webhookSecret, webhookPath, webhookUrl, ...channel } =
        await workspace.rotateChannel(id);
      setShown({ channel, credentials: { publishableKey, embed, webhookSecret, webhookPath, webhookUrl } });
    }, "Rotated: the old key no longer works.");
  const save = (id: string, change: ChannelChange) =>
    attempt(async () => void (await workspace.updateChannel(id, change)), "Channel saved.");
  const remove = (id: string) =>
    attempt(async () => {
      if (!window.confirm("Delete this channel? Its key or secret stops working at once.")) return;
      await workspace.deleteChannel(id);
      if (shown?.channel.id === id) setShown(undefined);
    }, undefined);

  if (!allowed) {
    return (
      <div className="fd-page">
        <h1 className="fd-page-header__title">Channels</h1>
        <p className="fd-alert fd-alert--info" role="note">
          Only admins and owners manage channels.
        </p>
      </div>
    );
  }

  return (
    <div className="fd-page fd-channels">
      <header className="fd-page-header">
        <div>
          <h1 className="fd-page-header__title">Channels</h1>
          <p className="fd-page-header__subtitle">
            Where customers reach your flows: the chat widget on your site, or a webhook.
          </p>
        </div>
      </header>
      {error ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {error}
        </p>
      ) : null}
      {shown ? (
        <ChannelCredentialsPanel
          channel={shown.channel}
          credentials={shown.credentials}
          onDismiss={() => setShown(undefined)}
        />
      ) : null}
      <ChannelForm workflows={workflows} onCreate={create} />
      <h2 className="fd-section-title fd-channels__list-title">Your channels ({channels?.length ?? 0})</h2>
      {channels && channels.length === 0 ? <p className="fd-muted">No channel yet.</p> : null}
      <ul className="fd-channels__list">
        {(channels ?? []).map((channel) => (
          <ChannelRow
            key={`${channel.id}:${channel.updatedAt}`}
            channel={channel}
            workspace={workspace}
            workflow={workflows.find((w) => w.id === channel.workflowId)}
            onSave={(change) => save(channel.id, change)}
            onRotate={() => rotate(channel.id)}
            onDelete={() => remove(channel.id)}
          />
        ))}
      </ul>
    </div>
  );
}
