import express, { type Express, type RequestHandler } from "express";
import type { Database } from "@flowdeck/runtime";
import { apiKeyRoutes } from "../api-keys/api-key-routes";
import { authRoutes } from "../auth/auth-routes";
import { tenantSwitchRoutes } from "../auth/tenant-switch-routes";
import { invitationRoutes } from "../invitations/invitation-routes";
import { memberRoutes } from "../members/member-routes";
import { workflowRoutes } from "../workflows/workflow-routes";
import { regressionCaseRoutes } from "../workflows/regression-case-routes";
import { workflowTemplateRoutes } from "../workflows/workflow-template-routes";
import { analyticsRoutes } from "../analytics/analytics-routes";
import { auditRoutes } from "../audit/audit-routes";
import { domainRoutes } from "../domain-api/domain-routes";
import { tenantRoutes } from "../plans/tenant-routes";
import type { RunHost } from "../runs/run-host";
import { runRoutes } from "../runs/run-routes";
import { channelRoutes } from "../channels/channel-routes";
import type { ChatOptions } from "../chat/chat-options";
import { chatRoutes } from "../chat/chat-routes";
import { createChatServices, storeChatServices } from "../chat/chat-services";
import { widgetAsset } from "../chat/widget-asset";
import { inboxRoutes } from "../inbox/inbox-routes";
import { modelSettingsRoutes } from "../settings/model-settings-routes";
import { allowListRoutes } from "../http-access/allow-list-routes";
import { credentialRoutes } from "../http-access/credential-routes";
import { deliveryRoutes } from "../webhooks/delivery-routes";
import { webhookRoutes } from "../webhooks/webhook-routes";
import { createWebhookCalls } from "../webhooks/webhook-call";
import { createLoginThrottle } from "../auth/login-throttle";
import { createMembershipCheck } from "../auth/membership-check";
import { createAuthMiddleware } from "../auth/passport-setup";
import { requireRole } from "../auth/require-role";
import { requireScope } from "../api-keys/require-scope";
import { ApiError } from "../kit/api-error";
import { corsAllowList } from "./cors";
import { securityHeaderList, securityHeaders } from "./security-headers";
import { storeFastPaths } from "./http-server";
import { webhookFastPath } from "./webhook-fast-path";
import { errorHandler, notFound } from "./error-handler";
import { editorNavigations, editorStatic } from "./editor-static";
import { healthRoutes } from "./health-routes";
import { createAppMetrics, storeAppMetrics } from "../metrics/app-metrics";
import { httpMetrics } from "../metrics/http-metrics";
import { metricsRoutes, type MetricsOptions } from "../metrics/metrics-routes";
import { observeRunEvents } from "../metrics/run-metrics";
import type { ReadinessCheck } from "../metrics/readiness";
import type { Logger } from "../kit/logger";
import { requestId } from "../kit/request-id";
import { requestLog } from "./request-log";
import { httpTracing } from "../telemetry/http-tracing";
import { builtinNodeTypes, type NodeTypes } from "../node-packages/node-types";
import { nodeTypeRoutes } from "../node-packages/node-type-routes";
import { buildOpenApiDocument } from "./openapi";
import { storeRouteTable, type RouteDefinition } from "../kit/route-table";
import type { ServerConfig } from "../config/server-config";
import { bodyValidator } from "../kit/validate-body";

export interface CreateAppOptions {
  /** Migrated with runServerMigrations. */
  readonly db: Database;
  readonly config: ServerConfig;
  readonly log: Logger;
  /** Where runs start, resume and are watched (createRunHost: inline, or BullMQ with REDIS_URL). */
  readonly runs: RunHost;
  /** GET /metrics: registry, access token, queue statistics (server/src/metrics). Fresh registry when absent. */
  readonly metrics?: MetricsOptions;
  /** /readyz checks after the database (queue, workers: see queueReadinessChecks). */
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** The built editor to serve (editor-static.ts); default editor/dist, `false` serves the API only. */
  readonly editorDistDir?: string | false;
  /** Chat channel limits (server/src/chat/chat-options.ts). */
  readonly chat?: Partial<ChatOptions>;
  /** 32-byte key sealing channel secrets (loadChannelSecretKey); default derived from the JWT secret. */
  readonly channelSecretKey?: Uint8Array;
  /** The node types drafts are validated against and GET /node-types serves (loadNodeTypes); default built-ins. */
  readonly nodeTypes?: NodeTypes;
}

/**
 * The API as an Express app (not listening). Order matters: request id and log first so every answer has
 * both; security headers and CORS before any route; the JSON parser only for JSON; then the route table, each
 * route getting auth → role → body validation → handler; then 404 and the error handler.
 */
export function createApp({
  db,
  config,
  log,
  runs,
  editorDistDir,
  chat: chatOptions,
  channelSecretKey,
  metrics: metricsOptions = {},
  readinessChecks = [],
  nodeTypes = builtinNodeTypes(),
}: CreateAppOptions): Express {
  const app = express();
  const catalog = nodeTypes.registry.catalog();
  const metrics =
    metricsOptions.appMetrics ??
    createAppMetrics(
      metricsOptions.maxTenantSeries === undefined ? {} : { maxTenantSeries: metricsOptions.maxTenantSeries },
    );
  storeAppMetrics(app.locals, metrics);
  // Run, step and token metrics from every committed event batch, whichever tenant and process ran it.
  runs.subscribeAll((batch) => observeRunEvents(metrics, batch));
  // `/Auth/me`, `/auth/me/` are other paths, not aliases that might slip past a prefix check.
  app.set("strict routing", true);
  app.set("case sensitive routing", true);
  app.set("trust proxy", config.trustProxy);
  app.set("etag", false);
  app.disable("x-powered-by");

  // First, so everything after it (and a run it enqueues) runs inside the request's span.
  app.use(httpTracing());
  app.use(requestId);
  app.use(requestLog(log));
  app.use(httpMetrics(metrics));
  app.use(securityHeaders());
  app.use(corsAllowList(config.corsOrigins));
  // rawBody: webhook signatures cover the bytes as sent, not a re-serialisation (webhooks/webhook-routes.ts).
  app.use(
    express.json({
      limit: config.bodyLimitBytes,
      strict: true,
      type: "application/json",
      verify: (req, _res, buf) => {
        if (req.url?.startsWith("/webhooks/")) (req as { rawBody?: Buffer }).rawBody = buf;
      },
    }),
  );
  app.use(widgetAsset());
  const chat = createChatServices({ db, config, log, runs, chat: chatOptions, channelSecretKey, metrics });
  storeChatServices(app.locals, chat);
  const answerWebhook = createWebhookCalls(chat, catalog);
  storeFastPaths(app.locals, [
    webhookFastPath({
      answer: answerWebhook,
      log,
      metrics,
      bodyLimitBytes: config.bodyLimitBytes,
      securityHeaders: securityHeaderList(),
    }),
  ]);

  const throttle = createLoginThrottle({
    maxFailures: config.loginMaxFailures,
    windowMs: config.loginWindowMs,
  });
  const membership = createMembershipCheck({ db, ttlMs: config.membershipCheckTtlMs });
  const auth = createAuthMiddleware({ db, config, throttle, membership });
  const table: RouteDefinition[] = [
    ...healthRoutes({ db, checks: readinessChecks, log }),
    ...metricsRoutes(metrics, metricsOptions),
    ...authRoutes({ db, config, auth }),
    ...tenantSwitchRoutes({ db, config }),
    ...apiKeyRoutes(db),
    ...invitationRoutes({ db, config, throttle }),
    ...memberRoutes(db),
    ...workflowRoutes(db, catalog),
    ...workflowTemplateRoutes(db),
    ...nodeTypeRoutes(nodeTypes),
    ...regressionCaseRoutes(db),
    ...domainRoutes(db),
    ...auditRoutes(db),
    ...analyticsRoutes(db),
    ...tenantRoutes(db),
    ...runRoutes(db, runs),
    ...channelRoutes(db, chat.secretBox, { publicUrl: config.publicUrl }),
    ...chatRoutes(chat),
    ...webhookRoutes(answerWebhook),
    ...inboxRoutes(chat),
    ...modelSettingsRoutes(db, chat.secretBox),
    ...allowListRoutes(db),
    ...credentialRoutes(db, chat.secretBox),
    ...deliveryRoutes(db),
  ];
  const docs: RouteDefinition = {
    method: "get",
    path: "/docs",
    summary: "This API's OpenAPI 3.1 document, generated from the route table.",
    auth: "public",
    status: 200,
    handler: async (_req, res) => {
      res.json(openApi);
    },
  };
  table.push(docs);
  const openApi = buildOpenApiDocument(table, { title: "Flowdeck API", version: "0.1.0" });
  storeRouteTable(app.locals, table);

  const router = express.Router({ strict: true, caseSensitive: true });
  // An `:id` is one plain segment (a UUID, AO-10492, TCK-000001). Anything else (`x%2f`, `x;`) names no row:
  // 404 before body checks, so a path variant never reaches a handler or gets a 400 that a real id would not.
  router.param("id", (_req, _res, next, value) => {
    next(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(String(value))
        ? undefined
        : new ApiError("FD322", "No such object in this tenant."),
    );
  });
  for (const route of table) {
    const chain: RequestHandler[] = [];
    if (route.auth === "user") {
      chain.push(auth.requireUser, requireScope(route));
      if (route.role) chain.push(requireRole(route.role));
    }
    if (route.body) chain.push(bodyValidator(route.body));
    chain.push(route.handler);
    router[route.method](route.path, ...chain);
  }
  // A browser navigation to a path the API shares with an editor page (`/runs`) gets the page (editor-static.ts).
  const navigations = editorDistDir === false ? undefined : editorNavigations({ distDir: editorDistDir });
  if (navigations) app.use(navigations);
  app.use(router);
  // The built editor, when there is one (editor-static.ts): after every API route, before the JSON 404.
  const editor =
    editorDistDir === false ? undefined : editorStatic({ distDir: editorDistDir, routeTable: table, log });
  if (editor) app.use(editor);
  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
