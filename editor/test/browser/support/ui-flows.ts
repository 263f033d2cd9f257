// Steps several browser tests share, done the way a person does them: through the UI.
import type { Page } from "playwright-core";

export interface Account {
  readonly tenantName: string;
  readonly email: string;
  readonly password: string;
}

let accounts = 0;

/** A unique account per call (the database is per file, but several tests sign up). */
export function newAccount(label = "owner"): Account {
  accounts += 1;
  return {
    tenantName: `Acme ${label} ${accounts}`,
    email: `${label}${accounts}-${Date.now()}@example.com`,
    password: "correct horse battery staple",
  };
}

export async function signUpThroughUi(page: Page, account: Account): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Company or team name").fill(account.tenantName);
  await page.getByLabel("Work email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.getByRole("heading", { name: "Workflows", level: 1 }).waitFor();
}

export async function signInThroughUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Workflows", level: 1 }).waitFor();
}

export async function createWorkflowThroughUi(page: Page, title: string): Promise<string> {
  await page.getByRole("button", { name: "New workflow" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New workflow" });
  await dialog.getByLabel("Name").fill(title);
  await dialog.getByRole("button", { name: "Create workflow" }).click();
  await page.waitForURL(/\/flows\/[0-9a-f-]+$/);
  return page.url().split("/").pop() ?? "";
}
