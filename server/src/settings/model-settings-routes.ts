import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { auditActor, recordAudit } from "../audit/audit-store";
import { requireAuth } from "../auth/auth-context";
import type { SecretBox } from "../channels/secret-box";
import { createTenantHttpClients, type TenantHttpClients } from "../http-access/tenant-http-clients";
import { DEFAULT_MODEL_BASE_URL, TEST_MODEL_FALLBACK, testModelConnection } from "./model-connection-test";
import {
  modelKeyAad,
  noteModelSettingsChanged,
  readModelSettings,
  readSealedKey,
  writeModelSettings,
} from "./model-settings-store";

const BaseUrl = Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], {
  description: "An OpenAI-compatible API base, e.g. https://api.openai.com/v1; null = OpenAI's.",
});
const Model = Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]);
const ApiKey = Type.String({
  minLength: 1,
  maxLength: 500,
  description: "Write-only; shown back as its last 4.",
});

export const ModelSettingsBody = Type.Object(
  {
    apiKey: Type.Optional(
      Type.Union([ApiKey, Type.Null()], { description: "Omit to keep; null removes it." }),
    ),
    baseUrl: Type.Optional(BaseUrl),
    defaultModel: Type.Optional(Model),
  },
  { additionalProperties: false },
);
export const ModelTestBody = Type.Object(
  { apiKey: Type.Optional(ApiKey), baseUrl: Type.Optional(BaseUrl), defaultModel: Type.Optional(Model) },
  { additionalProperties: false },
);

/** `http(s)://host[:port][/path]`, no credentials, query or fragment; stored without a trailing slash. */
function normaliseBaseUrl(text: string | null | undefined): string | null {
  if (text === null || text === undefined || !text.trim()) return null;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ApiError("FD300", "Base URL must be a full web address, such as https://api.openai.com/v1.", {
      details: { field: "/baseUrl", keyword: "format", params: { format: "url" } },
    });
  }
  if (
    !(url.protocol === "https:" || url.protocol === "http:") ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  )
    throw new ApiError(
      "FD300",
      "Base URL: use an http:// or https:// address with no user name, password, ? or # part, such as https://api.openai.com/v1.",
      { details: { field: "/baseUrl", keyword: "format", params: { format: "url" } } },
    );
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * A workspace's own model provider (issue 17): key, base URL, default model. Admins and owners; the key is
 * sealed at rest, answered only as its last 4 characters, and changes are audited without it. The run host
 * reads the settings through settings/tenant-model-gateways.ts.
 */
export function modelSettingsRoutes(
  db: Database,
  secretBox: SecretBox,
  http: TenantHttpClients = createTenantHttpClients({ db }),
): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/settings/models",
      summary: "The workspace's model provider: base URL, default model and the key's last 4 characters.",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (_req, res) => {
        res.json(await db.transaction(readModelSettings, { tenantId: requireAuth(res).tenantId }));
      },
    },
    {
      method: "put",
      path: "/settings/models",
      summary: "Set the workspace's model provider (audited; the key is write-only).",
      auth: "user",
      role: "admin",
      body: ModelSettingsBody,
      example: { apiKey: "sk-…", baseUrl: "https://api.openai.com/v1", defaultModel: "gpt-4o-mini" },
      status: 200,
      handler: async (req, res) => {
        const { tenantId, userId } = requireAuth(res);
        const body = req.body as Static<typeof ModelSettingsBody>;
        const baseUrl = normaliseBaseUrl(body.baseUrl);
        const key = body.apiKey === undefined ? undefined : body.apiKey === null ? null : body.apiKey.trim();
        const saved = await db.transaction(
          async (sql) => {
            const before = await readModelSettings(sql);
            await writeModelSettings(sql, {
              tenantId,
              userId,
              apiKeyBox:
                key === undefined
                  ? undefined
                  : key === null
                    ? null
                    : secretBox.seal(key, modelKeyAad(tenantId)),
              apiKeyLast4: key === undefined ? undefined : key === null ? null : key.slice(-4),
              baseUrl: body.baseUrl === undefined ? before.baseUrl : baseUrl,
              defaultModel: body.defaultModel === undefined ? before.defaultModel : body.defaultModel,
            });
            await recordAudit(sql, {
              ...auditActor(res),
              action: "settings.models",
              targetType: "tenant",
              targetId: tenantId,
              detail: {
                fields: Object.keys(body),
                key: key === undefined ? "kept" : key === null ? "removed" : "replaced",
                baseUrl: { from: before.baseUrl, to: body.baseUrl === undefined ? before.baseUrl : baseUrl },
              },
            });
            return readModelSettings(sql);
          },
          { tenantId },
        );
        noteModelSettingsChanged(tenantId);
        res.json(saved);
      },
    },
    {
      method: "post",
      path: "/settings/models/test",
      summary:
        "Try the provider with a one-token chat completion (the body's values, else the stored ones), through the workspace's SSRF-safe HTTP client.",
      auth: "user",
      role: "admin",
      body: ModelTestBody,
      example: {},
      status: 200,
      handler: async (req, res) => {
        const { tenantId } = requireAuth(res);
        const body = req.body as Static<typeof ModelTestBody>;
        const stored = await db.transaction(
          async (sql) => ({ view: await readModelSettings(sql), sealed: await readSealedKey(sql) }),
          { tenantId },
        );
        const apiKey =
          body.apiKey?.trim() ?? (stored.sealed ? secretBox.open(stored.sealed, modelKeyAad(tenantId)) : "");
        if (!apiKey) throw new ApiError("FD389", "There is no API key to test: enter one or save one first.");
        const baseUrl =
          (body.baseUrl === undefined ? stored.view.baseUrl : normaliseBaseUrl(body.baseUrl)) ??
          DEFAULT_MODEL_BASE_URL;
        const model = body.defaultModel ?? stored.view.defaultModel ?? TEST_MODEL_FALLBACK;
        res.json({
          baseUrl,
          ...(await testModelConnection(http.forTenant(tenantId), { baseUrl, apiKey, model })),
        });
      },
    },
  ];
}
