// Where the API lives. In production the server serves the editor and the API from one origin, with API routes
// at the root. In development Vite forwards `/api/*` to the server (see vite.config.ts). VITE_FLOWDECK_API_URL
// overrides both (e.g. an editor on another origin listed in FLOWDECK_CORS_ORIGINS).
export function defaultApiBaseUrl(): string {
  const override = import.meta.env.VITE_FLOWDECK_API_URL as string | undefined;
  if (override) return override.replace(/\/$/, "");
  return import.meta.env.DEV ? "/api" : "";
}
