// The server's public entry. Named re-exports only (DESIGN.md §7).
export { createApp, type CreateAppOptions } from "./app/create-app";
export { startServer, type RunningServer, type StartServerOptions } from "./app/start-server";
export {
  loadServerConfig,
  serverConfig,
  DEFAULT_SERVER_CONFIG,
  type ServerConfig,
} from "./config/server-config";
export { createJsonLogger, silentServerLogger, redact, type Logger } from "./kit/logger";
export { getRouteTable, type RouteDefinition, type RouteTable } from "./kit/route-table";
export { ApiError, API_ERRORS, type ApiErrorCode } from "./kit/api-error";
export { runServerMigrations, SERVER_MIGRATIONS_DIR } from "./store/server-migrations";
export { ROLES, type Role } from "./kit/roles";
export { verifyApiKey } from "./api-keys/api-key-store";
