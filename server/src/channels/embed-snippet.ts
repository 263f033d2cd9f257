import type { Request } from "express";

/**
 * The base URL written into a channel's embed snippet. The snippet is pasted into the shop's own pages, so a
 * relative `/widget.js` would load from the shop (404): it must be absolute. A configured `publicUrl`
 * (FLOWDECK_PUBLIC_URL) wins; otherwise the admin's own request tells where they reached us. `req.protocol`
 * and `req.host` read X-Forwarded-Proto/-Host only through hops `trust proxy` trusts, so a client cannot put
 * another host into the snippet unless the operator configured that proxy as trusted.
 */
export function publicBaseUrl(req: Request, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  return `${req.protocol}://${req.host}`;
}

/** `<script src="https://host/widget.js" data-channel="fdp…" async></script>`, attribute values escaped. */
export function embedSnippet(baseUrl: string, key: string): string {
  return `<script src="${escapeAttribute(`${baseUrl}/widget.js`)}" data-channel="${escapeAttribute(key)}" async></script>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
