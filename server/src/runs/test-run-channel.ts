/**
 * `runs.channel` of every test run staff start from the editor: the builder's chat (chat/chat-principal.ts) and
 * `POST /runs` with `draft: true` (run-routes.ts). The Runs list and analytics leave these out by default: staff
 * trying a flow, counted with customers, skewed rates, volumes and costs.
 */
export const TEST_RUN_CHANNEL = "test";
