// The once-shown credentials of a channel (after create or rotate): the widget's embed snippet with its copy
// button and a live preview, or a webhook's signing secret and URL.
import { useId } from "react";
import type { Channel, ChannelCredentials } from "../api/workspace-types";
import { useCopy } from "../ui/use-copy";
import { WebhookHowTo } from "./webhook-how-to";
import { WidgetPreview } from "./widget-preview";

export function ChannelCredentialsPanel({
  channel,
  credentials,
  onDismiss,
}: {
  readonly channel: Channel;
  readonly credentials: ChannelCredentials;
  readonly onDismiss: () => void;
}) {
  const copy = useCopy();
  const snippetId = useId();
  const secretId = useId();
  const urlId = useId();

  return (
    <section className="fd-card fd-channel-credentials" aria-labelledby="channel-credentials-title">
      <h2 id="channel-credentials-title" className="fd-section-title">
        {channel.name}: {channel.kind === "web" ? "embed snippet" : "webhook secret"}
      </h2>
      <p className="fd-alert fd-alert--warning" role="note">
        Shown only now. Flowdeck keeps a hash, not the {channel.kind === "web" ? "key" : "secret"}: rotate to
        get a new one (the old one stops working at once).
      </p>
      {credentials.embed ? (
        <>
          <div className="fd-field">
            <label className="fd-field__label" htmlFor={snippetId}>
              Paste this before the closing &lt;/body&gt; tag of your site
            </label>
            <textarea
              id={snippetId}
              className="fd-input fd-code"
              readOnly
              rows={4}
              value={credentials.embed}
              data-testid="embed-snippet"
              onFocus={(event) => event.currentTarget.select()}
            />
          </div>
          <div className="fd-row">
            <button
              type="button"
              className="fd-button fd-button--primary"
              onClick={() => void copy(credentials.embed ?? "", "Snippet")}
            >
              Copy snippet
            </button>
            <button type="button" className="fd-button" onClick={onDismiss}>
              Done
            </button>
          </div>
          <WidgetPreview channel={channel} embed={credentials.embed} />
        </>
      ) : null}
      {credentials.webhookSecret ? (
        <>
          <div className="fd-field">
            <label className="fd-field__label" htmlFor={secretId}>
              Signing secret (Flowdeck-Signature)
            </label>
            <input id={secretId} className="fd-input fd-code" readOnly value={credentials.webhookSecret} />
          </div>
          <div className="fd-field">
            <label className="fd-field__label" htmlFor={urlId}>
              POST messages to
            </label>
            <input
              id={urlId}
              className="fd-input fd-code"
              readOnly
              value={credentials.webhookUrl ?? credentials.webhookPath ?? ""}
            />
          </div>
          <div className="fd-row">
            <button
              type="button"
              className="fd-button fd-button--primary"
              onClick={() => void copy(credentials.webhookSecret ?? "", "Secret")}
            >
              Copy secret
            </button>
            <button type="button" className="fd-button" onClick={onDismiss}>
              Done
            </button>
          </div>
          <WebhookHowTo url={credentials.webhookUrl ?? credentials.webhookPath ?? ""} open headingLevel={3} />
        </>
      ) : null}
    </section>
  );
}
