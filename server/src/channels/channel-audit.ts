import type { Sql } from "@flowdeck/runtime";
import type { Response } from "express";
import { auditActor, recordAudit } from "../audit/audit-store";
import { redactUrl } from "../audit/url-redaction";
import type { ChannelRecord } from "./channel-types";

/**
 * Audit rows for channel changes (`channel.create|update|rotate|delete` on `channel:<id>`) and for an admin
 * owing a webhook channel's given-up deliveries again (`channel.retry_deliveries`). A channel decides
 * which workflow answers customers and where a webhook channel's replies are POSTed, so redirecting them must
 * leave a trace. Details are built from named fields only, never from the record as a whole: the record carries
 * the key hash and the sealed secret, and neither may reach the log.
 */
export type ChannelAuditAction = "create" | "update" | "rotate" | "delete" | "retry_deliveries";

type Detail = Record<string, unknown>;

/**
 * audit_log.detail must stay within 4000 characters as jsonb text, which adds a space after every `:` and `,`;
 * JSON.stringify's length kept under this leaves that room.
 */
const DETAIL_BUDGET = 3000;
/** An outbound URL may be 2000 characters or more once normalised; two of them must fit one row. */
const URL_CLIP = 1000;

const size = (value: unknown) => JSON.stringify(value).length;

/**
 * The outbound URL as recorded: without query values, userinfo or fragment (a receiver's token often sits in the
 * query string), then cut to fit the row.
 */
function clip(url: string | null): string | null {
  if (url === null) return null;
  const shown = redactUrl(url);
  return shown.length > URL_CLIP ? `${shown.slice(0, URL_CLIP)}…` : shown;
}

/** The credential a channel of this kind holds, by name (its value is never recorded). */
const credentialOf = (kind: ChannelRecord["kind"]) => (kind === "web" ? "publishable_key" : "signing_secret");

/** As many entries as fit in `room` characters of JSON, and how many did not. */
function fitList(list: readonly string[], room: number): { shown: string[]; omitted: number } {
  const shown: string[] = [];
  let used = 2;
  for (const item of list) {
    const cost = size(item) + 1;
    if (used + cost > room) break;
    shown.push(item);
    used += cost;
  }
  return { shown, omitted: list.length - shown.length };
}

export function createdDetail(channel: ChannelRecord): Detail {
  const head: Detail = {
    kind: channel.kind,
    name: channel.name,
    workflowId: channel.workflowId,
    pinnedVersion: channel.pinnedVersion,
    issued: credentialOf(channel.kind),
  };
  if (channel.kind === "webhook") return { ...head, outboundUrl: clip(channel.outboundUrl) };
  const origins = fitList(channel.allowedOrigins, DETAIL_BUDGET - size(head) - 60);
  return {
    ...head,
    allowedOrigins: origins.shown,
    ...(origins.omitted > 0 ? { allowedOriginsOmitted: origins.omitted } : {}),
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

/**
 * The fields whose stored value changed, each with from/to. Origins are compared as a set (their order means
 * nothing to the Origin check); a list too long for the row is recorded as what was added and removed.
 */
export function updatedDetail(before: ChannelRecord, after: ChannelRecord): Detail {
  const changes: [string, unknown][] = [];
  if (before.name !== after.name) changes.push(["name", { from: before.name, to: after.name }]);
  if (before.workflowId !== after.workflowId)
    changes.push(["workflowId", { from: before.workflowId, to: after.workflowId }]);
  if (before.pinnedVersion !== after.pinnedVersion)
    changes.push(["pinnedVersion", { from: before.pinnedVersion, to: after.pinnedVersion }]);
  if (before.outboundUrl !== after.outboundUrl) {
    const from = clip(before.outboundUrl);
    const to = clip(after.outboundUrl);
    // Only a redacted part (a token) changed: both read the same once redacted, so say what the reader cannot see.
    changes.push(["outboundUrl", from === to ? { from, to, redactedPartsChanged: true } : { from, to }]);
  }
  const originsChanged = !sameSet(before.allowedOrigins, after.allowedOrigins);
  const fields = changes.map(([field]) => field);
  if (originsChanged) fields.push("allowedOrigins");
  const head: Detail = { kind: after.kind, fields, ...Object.fromEntries(changes) };
  if (!originsChanged) return head;
  const full = { ...head, allowedOrigins: { from: before.allowedOrigins, to: after.allowedOrigins } };
  if (size(full) <= DETAIL_BUDGET) return full;
  const room = DETAIL_BUDGET - size(head) - 100;
  const added = fitList(
    after.allowedOrigins.filter((origin) => !before.allowedOrigins.includes(origin)),
    room,
  );
  const removed = fitList(
    before.allowedOrigins.filter((origin) => !after.allowedOrigins.includes(origin)),
    room - size(added.shown),
  );
  const omitted = added.omitted + removed.omitted;
  return {
    ...head,
    allowedOrigins: { added: added.shown, removed: removed.shown, ...(omitted > 0 ? { omitted } : {}) },
  };
}

export function rotatedDetail(channel: ChannelRecord): Detail {
  return { kind: channel.kind, rotated: credentialOf(channel.kind) };
}

/** Given-up deliveries owed again: how many, all or named, and their ids (as many as fit the row). */
export function retriedDetail(
  channel: Pick<ChannelRecord, "kind">,
  ids: readonly string[],
  scope: "all" | "named",
): Detail {
  const head = { kind: channel.kind, scope, retried: ids.length };
  const shown = fitList(ids, DETAIL_BUDGET - size(head) - 60);
  return { ...head, ids: shown.shown, ...(shown.omitted > 0 ? { idsOmitted: shown.omitted } : {}) };
}

export function deletedDetail(channel: Pick<ChannelRecord, "kind" | "name">): Detail {
  return { kind: channel.kind, name: channel.name };
}

/** One row in the caller's transaction, so the change and its record commit or roll back together. */
export function auditChannel(
  sql: Sql,
  res: Response,
  action: ChannelAuditAction,
  channelId: string,
  detail: Detail,
): Promise<void> {
  return recordAudit(sql, {
    ...auditActor(res),
    action: `channel.${action}`,
    targetType: "channel",
    targetId: channelId,
    detail,
  });
}
