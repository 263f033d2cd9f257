// "How to call this webhook": everything a developer needs to send the first signed call and take the replies,
// on the channel's page after creation and whenever the channel is viewed. The words mirror what the server
// checks (server/src/webhooks/webhook-call.ts) and answers, so a refusal's message reads like this page.
import { useId } from "react";
import { useCopy } from "../ui/use-copy";
import "./webhook-how-to.css";
import {
  curlExample,
  MESSAGE_ID_HEADER,
  nodeExample,
  SECRET_VARIABLE,
  SIGNATURE_HEADER,
} from "./webhook-examples";

export function WebhookHowTo({
  url,
  open = false,
  headingLevel = 4,
}: {
  readonly url: string;
  readonly open?: boolean;
  /** One below the heading it sits under, so screen readers get the outline right. */
  readonly headingLevel?: 3 | 4;
}) {
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const copy = useCopy();
  const id = useId();
  const curl = curlExample(url);
  const node = nodeExample(url);

  return (
    <details className="fd-webhook-how-to" open={open} data-testid="webhook-how-to">
      <summary className="fd-webhook-how-to__summary">How to call this webhook</summary>
      <div className="fd-webhook-how-to__body">
        <Heading>Request</Heading>
        <p>
          POST JSON to{" "}
          <code className="fd-code" data-testid="webhook-how-to-url">
            {url}
          </code>{" "}
          with these headers:
        </p>
        <ul>
          <li>
            <code className="fd-code">Content-Type: application/json</code>
          </li>
          <li>
            <code className="fd-code">{SIGNATURE_HEADER}: t=&lt;unix seconds&gt;,v1=&lt;signature&gt;</code>:
            the signature is the hex HMAC-SHA256 of{" "}
            <code className="fd-code">&lt;t&gt;.&lt;raw body&gt;</code> (the timestamp, a dot, then the body
            bytes exactly as sent), keyed with the whole signing secret (
            <code className="fd-code">whsec_…</code>). <code className="fd-code">t</code> must be within 5
            minutes of the server&apos;s clock, so sign every call, retries too, when you send it.
          </li>
          <li>
            <code className="fd-code">{MESSAGE_ID_HEADER}: &lt;your id&gt;</code>: required, 1–200 visible
            characters, unique per message. Retries are deduplicated by it: send the same id when you retry a
            message, and it runs once.
          </li>
        </ul>
        <Heading>Body</Heading>
        <ul>
          <li>
            a chat flow: <code className="fd-code">{'{ "text": "…", "conversationId": "…" }'}</code>, text
            1–4000 characters; leave out <code className="fd-code">conversationId</code> to start a
            conversation, and send the one you got back to continue it;
          </li>
          <li>a flow triggered by webhook: any JSON object, which becomes the flow&apos;s input.</li>
        </ul>
        <Heading>What comes back</Heading>
        <ul>
          <li>
            <strong>202</strong>{" "}
            <code className="fd-code">{'{ conversationId, status: "accepted", runId }'}</code> for a chat
            message (the replies come to your outbound URL); <strong>200</strong>{" "}
            <code className="fd-code">{"{ runId, status, output }"}</code> for a webhook flow (202 while it is
            still running, 502 if it failed);
          </li>
          <li>
            <strong>409 FD376</strong>: this {MESSAGE_ID_HEADER} was already received; nothing ran again;
          </li>
          <li>
            <strong>401 FD374</strong>: the {SIGNATURE_HEADER} header is missing, malformed or does not match;{" "}
            <strong>401 FD375</strong>: its timestamp is more than 5 minutes off;
          </li>
          <li>
            <strong>400</strong>: the message names the header or body field to fix (FD300, FD373).
          </li>
        </ul>
        <Heading>Replies</Heading>
        <p>
          Each reply (and a hand-off notice) is POSTed to the channel&apos;s outbound URL as{" "}
          <code className="fd-code">
            {'{ type: "reply" | "handoff", id, conversationId, text, author, at }'}
          </code>
          , signed the same way with this secret in {SIGNATURE_HEADER}, with {MESSAGE_ID_HEADER} set to the
          reply&apos;s id. Verify the signature, skip ids you have already handled, and answer 2xx: Flowdeck
          retries network errors, 408, 429 and 5xx for about a day.
        </p>
        <Heading>Examples</Heading>
        <ExampleBox
          id={`${id}-curl`}
          label={`Try it with curl (the secret comes from ${SECRET_VARIABLE})`}
          text={curl}
          testId="webhook-curl-example"
        />
        <ExampleBox
          id={`${id}-node`}
          label="Or from Node.js (node:crypto)"
          text={node}
          testId="webhook-node-example"
        />
        <div className="fd-row">
          <button type="button" className="fd-button" onClick={() => void copy(curl, "curl example")}>
            Copy curl example
          </button>
          <button type="button" className="fd-button" onClick={() => void copy(node, "Node.js example")}>
            Copy Node.js example
          </button>
        </div>
      </div>
    </details>
  );
}

/** A read-only example, selected whole when focused so a keyboard user can copy it too. */
function ExampleBox({
  id,
  label,
  text,
  testId,
}: {
  readonly id: string;
  readonly label: string;
  readonly text: string;
  readonly testId: string;
}) {
  return (
    <div className="fd-field">
      <label className="fd-field__label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        className="fd-input fd-code fd-webhook-how-to__example"
        readOnly
        rows={text.split("\n").length}
        value={text}
        data-testid={testId}
        onFocus={(event) => event.currentTarget.select()}
      />
    </div>
  );
}
