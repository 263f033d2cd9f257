import { seedDemoData, type Database } from "@flowdeck/runtime";
import { findCredentials, registerAccount } from "../auth/account-store";
import { hashPassword } from "../auth/password";

/** The demo login `npm start` prints. Only for a local start: FLOWDECK_DEMO=0 turns it off. */
export const DEMO_LOGIN = { email: "demo@flowdeck.local", password: "flowdeck-demo" } as const;
const DEMO_TENANT = "Acme Outfitters (demo)";
const DEMO_BCRYPT_COST = 10;

/**
 * Creates the demo tenant with its owner and the demo shop's data (customers, orders, knowledge base) the first
 * time; a restart finds the account and leaves everything as it was.
 */
export async function ensureDemoTenant(db: Database): Promise<{ created: boolean }> {
  if (await findCredentials(db, DEMO_LOGIN.email)) return { created: false };
  const { tenantId } = await registerAccount(db, {
    tenantName: DEMO_TENANT,
    plan: "pro",
    email: DEMO_LOGIN.email,
    passwordHash: await hashPassword(DEMO_LOGIN.password, DEMO_BCRYPT_COST),
  });
  await seedDemoData(db, tenantId);
  return { created: true };
}
