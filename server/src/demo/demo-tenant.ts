import { seedDemoData, type Database } from "@flowdeck/runtime";
import { findCredentials, registerAccount, userMemberships } from "../auth/account-store";
import { hashPassword } from "../auth/password";
import { createWorkflow, publishVersion } from "../workflows/workflow-store";
import { workflowTemplates } from "../workflows/workflow-templates";
import { ensureDemoChannel } from "./demo-channel";

/** The demo login `npm start` prints. Only for a local start: FLOWDECK_DEMO=0 turns it off. */
export const DEMO_LOGIN = { email: "demo@flowdeck.local", password: "flowdeck-demo" } as const;
const DEMO_TENANT = "Acme Outfitters (demo)";
const DEMO_BCRYPT_COST = 10;

/**
 * Creates the demo tenant with its owner and the demo shop's data (customers, orders, knowledge base) the first
 * time, and publishes every seed workflow it does not have yet (by name) as version 1. A restart finds the
 * account and the workflows and leaves them as they are, including any edits made since. The demo shop also
 * gets a web-chat channel for its support flow (demo-channel.ts).
 */
export async function ensureDemoTenant(
  db: Database,
  options: { readonly serverUrl?: string } = {},
): Promise<{ created: boolean; published: string[] }> {
  const existing = await findCredentials(db, DEMO_LOGIN.email);
  let tenantId: string;
  let userId: string;
  if (existing) {
    userId = existing.userId;
    const membership = (await userMemberships(db, userId))[0];
    if (!membership) return { created: false, published: [] };
    tenantId = membership.tenantId;
  } else {
    ({ tenantId, userId } = await registerAccount(db, {
      tenantName: DEMO_TENANT,
      plan: "pro",
      email: DEMO_LOGIN.email,
      passwordHash: await hashPassword(DEMO_LOGIN.password, DEMO_BCRYPT_COST),
    }));
    await seedDemoData(db, tenantId);
  }
  const published = await publishSeedWorkflows(db, tenantId, userId);
  await ensureDemoChannel(db, { tenantId, userId, serverUrl: options.serverUrl });
  return { created: !existing, published };
}

/**
 * Each seed workflow (`workflows/*.yaml`, read once for the templates too) the tenant has no live workflow of
 * that name for: created and published as v1, by name.
 */
async function publishSeedWorkflows(db: Database, tenantId: string, userId: string): Promise<string[]> {
  const seeds = [...(await workflowTemplates())].sort((a, b) => a.name.localeCompare(b.name));
  const published: string[] = [];
  for (const { name, yaml } of seeds) {
    await db.transaction(
      async (sql) => {
        const workflowId = await createWorkflow(sql, { tenantId, name, yaml, userId });
        if (!workflowId) return;
        await publishVersion(sql, { tenantId, workflowId, yaml, note: "Demo seed", authorId: userId });
        published.push(name);
      },
      { tenantId },
    );
  }
  return published;
}
