import { randomUUID } from "node:crypto";
import type { Database } from "@flowdeck/runtime";
import { mintChannelKey } from "../channels/channel-keys";
import { normaliseOrigins } from "../channels/channel-origins";
import { insertChannel, resolveWorkflowRef } from "../channels/channel-store";

export const DEMO_CHANNEL_NAME = "Website chat (demo)";
const DEMO_CHANNEL_WORKFLOW = "customer_support_workflow";

/**
 * Allowed Origins are exact (channel-origins.ts: no wildcards, no port ranges), so the demo channel lists the
 * local origins people commonly serve a test page from, plus the server's own URL (the channel page's preview).
 */
export const DEMO_CHANNEL_ORIGINS = [
  "http://localhost:8080",
  "http://127.0.0.1:8080",
  "http://localhost:5173",
  "http://127.0.0.1:5173",
  "http://localhost:3000",
  "http://127.0.0.1:3000",
  "http://localhost:8000",
  "http://127.0.0.1:8000",
] as const;

/**
 * The demo tenant's web-chat channel for the support flow, created once: a restart finds it by name (also a
 * deleted one, so deleting it is respected) and leaves it as it is. Its publishable key is not shown anywhere
 * (only its hash is kept); the channel page's "Rotate key" gives a key and the embed snippet.
 */
export async function ensureDemoChannel(
  db: Database,
  demo: { readonly tenantId: string; readonly userId: string; readonly serverUrl?: string | undefined },
): Promise<boolean> {
  return db.transaction(
    async (sql) => {
      const { rows } = await sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM channels WHERE name = $1",
        [DEMO_CHANNEL_NAME],
      );
      if ((rows[0]?.n ?? 0) > 0) return false;
      const workflowId = await resolveWorkflowRef(sql, DEMO_CHANNEL_WORKFLOW);
      if (!workflowId) return false;
      const id = randomUUID();
      const origins = normaliseOrigins([
        ...DEMO_CHANNEL_ORIGINS,
        ...(demo.serverUrl ? [new URL(demo.serverUrl).origin] : []),
      ]);
      await insertChannel(sql, {
        tenantId: demo.tenantId,
        id,
        kind: "web",
        name: DEMO_CHANNEL_NAME,
        workflowId,
        pinnedVersion: null,
        allowedOrigins: origins,
        keyHash: mintChannelKey(demo.tenantId, id).hash,
        secretBox: null,
        outboundUrl: null,
        createdBy: demo.userId,
      });
      return true;
    },
    { tenantId: demo.tenantId },
  );
}
