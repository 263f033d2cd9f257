import { randomUUID } from "node:crypto";
import { noteChannelChange } from "./channel-changes";
import type { Database, Sql } from "@flowdeck/runtime";
import type { Request, Response } from "express";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { mintChannelKey, mintWebhookSecret } from "./channel-keys";
import { normaliseOrigins, normaliseOutboundUrl } from "./channel-origins";
import {
  channelWorkflow,
  disableChannel,
  getChannel,
  insertChannel,
  listChannels,
  lockChannel,
  resolveWorkflowRef,
  toView,
  updateChannel,
} from "./channel-store";
import { auditChannel, createdDetail, deletedDetail, rotatedDetail, updatedDetail } from "./channel-audit";
import type { ChannelRecord } from "./channel-types";
import type { SecretBox } from "./secret-box";
import { embedSnippet, publicBaseUrl } from "./embed-snippet";

const Origins = Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
  maxItems: 50,
  description: "Exact Origins, e.g. https://shop.example.com.",
});
const OutboundUrl = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: "Where the channel's replies are POSTed (webhook).",
});
const PinnedVersion = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
  description: "A published version, or null for the latest.",
});

export const CreateChannelBody = Type.Object(
  {
    kind: Type.Union([Type.Literal("web"), Type.Literal("webhook")]),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    workflow: Type.String({ minLength: 1, maxLength: 100, description: "The workflow's id or name." }),
    pinnedVersion: Type.Optional(PinnedVersion),
    allowedOrigins: Type.Optional(Origins),
    outboundUrl: Type.Optional(OutboundUrl),
  },
  { additionalProperties: false },
);

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    pinnedVersion: Type.Optional(PinnedVersion),
    allowedOrigins: Type.Optional(Origins),
    outboundUrl: Type.Optional(OutboundUrl),
  },
  { additionalProperties: false },
);

/** AAD of a channel's sealed secret: the row it belongs to. */
export const secretAad = (tenantId: string, channelId: string) => `channel:${tenantId}:${channelId}`;

/**
 * The channel API: web channels (widget, WebSocket and HTTP chat, publishable key + allowed Origins) and
 * webhook channels (signed inbound calls, signed outbound replies). Admins and owners manage them; keys and
 * secrets are shown once, on create and rotate.
 */
export function channelRoutes(
  db: Database,
  secretBox: SecretBox,
  options: { readonly publicUrl?: string } = {},
): RouteDefinition[] {
  const baseUrl = (req: Request) => publicBaseUrl(req, options.publicUrl);

  const inTenant = <T>(res: Response, fn: (sql: Sql) => Promise<T>): Promise<T> =>
    db.transaction(fn, { tenantId: requireAuth(res).tenantId });

  async function channelOr404(res: Response, id: string): Promise<ChannelRecord> {
    const channel = await inTenant(res, (sql) => getChannel(sql, id));
    if (!channel) throw new ApiError("FD322", "No such channel.");
    return channel;
  }

  async function checkPin(sql: Sql, workflowId: string, version: number | null | undefined): Promise<void> {
    if (version === undefined || version === null) return;
    const found = await channelWorkflow(sql, workflowId, version);
    if (!found.versionExists)
      throw new ApiError("FD381", `Version ${version} of this workflow does not exist.`);
  }

  return [
    {
      method: "get",
      path: "/channels",
      summary: "List the tenant's channels (never their keys or secrets).",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (req, res) => {
        const base = baseUrl(req);
        res.json({ items: (await inTenant(res, listChannels)).map((channel) => toView(channel, base)) });
      },
    },
    {
      method: "post",
      path: "/channels",
      summary: "Create a web or webhook channel; the answer is the only time its key or secret is shown.",
      auth: "user",
      role: "admin",
      body: CreateChannelBody,
      example: {
        kind: "web",
        name: "Website chat",
        workflow: "hello",
        allowedOrigins: ["https://shop.example.com"],
      },
      status: 201,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const body = req.body as Static<typeof CreateChannelBody>;
        const id = randomUUID();
        const web = body.kind === "web";
        if (web && body.outboundUrl !== undefined)
          throw new ApiError("FD379", "A web channel has no outboundUrl.");
        if (!web && body.allowedOrigins !== undefined)
          throw new ApiError("FD379", "A webhook channel has no allowedOrigins.");
        const origins = web ? normaliseOrigins(body.allowedOrigins ?? []) : [];
        const outboundUrl =
          !web && body.outboundUrl !== undefined ? normaliseOutboundUrl(body.outboundUrl) : null;
        const key = web ? mintChannelKey(caller.tenantId, id) : undefined;
        const secret = web ? undefined : mintWebhookSecret();
        const created = await inTenant(res, async (sql) => {
          const workflowId = await resolveWorkflowRef(sql, body.workflow);
          if (!workflowId) throw new ApiError("FD322", `No workflow "${body.workflow}" in this tenant.`);
          await checkPin(sql, workflowId, body.pinnedVersion);
          const channel = await insertChannel(sql, {
            tenantId: caller.tenantId,
            id,
            kind: body.kind,
            name: body.name ?? (web ? "Web chat" : "Webhook"),
            workflowId,
            pinnedVersion: body.pinnedVersion ?? null,
            allowedOrigins: origins,
            keyHash: key?.hash ?? null,
            secretBox: secret === undefined ? null : secretBox.seal(secret, secretAad(caller.tenantId, id)),
            outboundUrl,
            createdBy: caller.userId,
          });
          await auditChannel(sql, res, "create", channel.id, createdDetail(channel));
          return channel;
        });
        res.setHeader("Cache-Control", "no-store");
        res.status(201).json({ ...toView(created), ...credentials(created, baseUrl(req), key?.key, secret) });
      },
    },
    {
      method: "get",
      path: "/channels/:id",
      resource: "channels",
      summary: "One channel.",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (req, res) => {
        res.json(toView(await channelOr404(res, String(req.params.id)), baseUrl(req)));
      },
    },
    {
      method: "patch",
      path: "/channels/:id",
      resource: "channels",
      summary:
        "Change a channel: pin a version (null = latest published), its Origins (web) or outbound URL (webhook) (audited).",
      auth: "user",
      role: "admin",
      body: UpdateChannelBody,
      example: { name: "Website chat", pinnedVersion: null },
      status: 200,
      handler: async (req, res) => {
        const body = req.body as Static<typeof UpdateChannelBody>;
        const current = await channelOr404(res, String(req.params.id));
        if (current.kind === "web" && body.outboundUrl !== undefined)
          throw new ApiError("FD379", "A web channel has no outboundUrl.");
        if (current.kind === "webhook" && body.allowedOrigins !== undefined)
          throw new ApiError("FD379", "A webhook channel has no allowedOrigins.");
        const updated = await inTenant(res, async (sql) => {
          const before = await lockChannel(sql, current.id);
          if (!before) return undefined;
          await checkPin(sql, before.workflowId, body.pinnedVersion);
          const after = await updateChannel(sql, current.id, {
            ...(body.name === undefined ? {} : { name: body.name }),
            ...(body.pinnedVersion === undefined ? {} : { pinnedVersion: body.pinnedVersion }),
            ...(body.allowedOrigins === undefined
              ? {}
              : { allowedOrigins: normaliseOrigins(body.allowedOrigins) }),
            ...(body.outboundUrl === undefined
              ? {}
              : { outboundUrl: normaliseOutboundUrl(body.outboundUrl) }),
          });
          if (after) await auditChannel(sql, res, "update", after.id, updatedDetail(before, after));
          return after;
        });
        if (!updated) throw new ApiError("FD322", "No such channel.");
        noteChannelChange(updated.id);
        res.json(toView(updated));
      },
    },
    {
      method: "post",
      path: "/channels/:id/rotate",
      resource: "channels",
      summary:
        "Replace the channel's publishable key (web) or signing secret (webhook); the old one stops working now.",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (req, res) => {
        const current = await channelOr404(res, String(req.params.id));
        const key = current.kind === "web" ? mintChannelKey(current.tenantId, current.id) : undefined;
        const secret = current.kind === "webhook" ? mintWebhookSecret() : undefined;
        const updated = await inTenant(res, async (sql) => {
          const channel = await updateChannel(sql, current.id, {
            ...(key ? { keyHash: key.hash } : {}),
            ...(secret ? { secretBox: secretBox.seal(secret, secretAad(current.tenantId, current.id)) } : {}),
          });
          if (channel) await auditChannel(sql, res, "rotate", channel.id, rotatedDetail(channel));
          return channel;
        });
        if (!updated) throw new ApiError("FD322", "No such channel.");
        noteChannelChange(updated.id);
        res.setHeader("Cache-Control", "no-store");
        res.json({ ...toView(updated), ...credentials(updated, baseUrl(req), key?.key, secret) });
      },
    },
    {
      method: "delete",
      path: "/channels/:id",
      resource: "channels",
      summary: "Delete (disable) a channel: its key or secret stops working; past runs keep naming it.",
      auth: "user",
      role: "admin",
      status: 204,
      handler: async (req, res) => {
        const deleted = await inTenant(res, async (sql) => {
          const channel = await disableChannel(sql, String(req.params.id));
          if (channel) await auditChannel(sql, res, "delete", channel.id, deletedDetail(channel));
          return channel;
        });
        if (!deleted) throw new ApiError("FD322", "No such channel.");
        noteChannelChange(String(req.params.id));
        res.status(204).end();
      },
    },
  ];
}

/** The once-shown credentials and how to use them. */
function credentials(
  channel: ChannelRecord,
  baseUrl: string,
  key: string | undefined,
  secret: string | undefined,
): Record<string, string> {
  if (key) return { publishableKey: key, embed: embedSnippet(baseUrl, key) };
  if (secret)
    return {
      webhookSecret: secret,
      webhookPath: `/webhooks/${channel.id}`,
      webhookUrl: `${baseUrl}/webhooks/${channel.id}`,
    };
  return {};
}
