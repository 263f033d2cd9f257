// One row of the Runs list: when, what the customer wrote, workflow, status, channel, cost. A click anywhere on
// the row opens the run (row-click.ts); the link in the first cell is the keyboard's and screen reader's way in
// and keeps middle-click and "Open in new tab".
import type { MouseEvent } from "react";
import { Link } from "wouter";
import type { RunSummary } from "../api/runs-types";
import { relativeTime } from "../workflows/relative-time";
import { channelLabel } from "./channel-label";
import { ROW_CONTROLS, rowClickAction } from "./row-click";
import { RunStatusBadge } from "./run-status-badge";

export function RunRow({ run }: { run: RunSummary }) {
  return (
    <tr
      data-testid="run-row"
      className="fd-runs__row"
      onClick={openFromRow}
      // The middle button fires auxclick, not click.
      onAuxClick={openFromRow}
    >
      <td title={new Date(run.createdAt).toLocaleString()}>
        <Link href={`/runs/${run.id}`} className="fd-runs__link">
          {relativeTime(run.createdAt)}
          <span className="fd-visually-hidden"> — open run {run.id}</span>
        </Link>
      </td>
      <PreviewCell preview={run.preview} />
      <td className="fd-runs__wraps">
        {run.workflowName}
        <span className="fd-muted">
          {" "}
          {run.workflowVersion === null ? "draft" : `v${run.workflowVersion}`}
        </span>
      </td>
      <td>
        <RunStatusBadge status={run.status} />
      </td>
      <td title={run.channel} className="fd-runs__wraps">
        <ChannelCell channel={run.channel} name={run.channelName} />
      </td>
      <td>${run.costUsd.toFixed(4)}</td>
    </tr>
  );
}

/**
 * The message that started the run on one line, cut to the column's width by CSS; the tooltip holds what the
 * server sent (up to 120 characters), and screen readers read it whole.
 */
export function PreviewCell({ preview }: { preview: string | null | undefined }) {
  if (!preview)
    return (
      <td className="fd-runs__preview fd-muted" data-testid="run-preview">
        No message
      </td>
    );
  return (
    <td className="fd-runs__preview" title={preview} data-testid="run-preview">
      {preview}
    </td>
  );
}

function ChannelCell({ channel, name }: { channel: string; name: string | null | undefined }) {
  const label = channelLabel(channel, name);
  return (
    <span data-testid="run-channel">
      {label.text}
      {label.kind ? <span className="fd-muted fd-runs__channel-kind"> {label.kind}</span> : null}
    </span>
  );
}

function openFromRow(event: MouseEvent<HTMLTableRowElement>) {
  const row = event.currentTarget;
  const link = row.querySelector<HTMLAnchorElement>("a[href]");
  if (!link || event.defaultPrevented) return;
  const control = event.target instanceof Element ? event.target.closest(ROW_CONTROLS) : null;
  const selection = window.getSelection();
  const action = rowClickAction({
    button: event.button,
    ctrlKey: event.ctrlKey,
    metaKey: event.metaKey,
    shiftKey: event.shiftKey,
    altKey: event.altKey,
    onControl: control !== null && row.contains(control),
    selectingText: selection !== null && !selection.isCollapsed && row.contains(selection.anchorNode ?? null),
  });
  if (action === "open") {
    // The link's own click: the router navigates as for the link itself (no full page load).
    link.click();
  } else if (action === "open-in-new-tab") {
    event.preventDefault();
    window.open(link.href, "_blank", "noopener");
  }
}
