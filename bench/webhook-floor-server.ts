// The floor of the webhook benchmark, in a process of its own like the other two servers: Express with JSON
// bodies, the echo-router logic in plain code, and one durable row per request in PostgreSQL, group-committed
// (runtime's createGroupCommit: requests that arrive while a write is out share the next INSERT). No signature,
// no engine, no tenancy. It answers what durability itself costs next to Node-RED, so that the gap between
// Flowdeck and Node-RED is not blamed on storing runs. Prints `{ url }` as one JSON line, then serves until
// SIGTERM.
import express from "express";
import type { AddressInfo } from "node:net";
import { createGroupCommit } from "../runtime/src/store/group-commit";
import { createTestDatabase } from "../runtime/test/support/test-database";

const database = await createTestDatabase("pg", { maxConnections: 4 });
await database.db.ownerTransaction((sql) =>
  sql.query(
    `CREATE TABLE floor_runs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), input jsonb NOT NULL,
       output jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
  ),
);
const rows = createGroupCommit<string, true>({
  maxBatchItems: 64,
  async write(_group, items) {
    await database.db.ownerTransaction((sql) =>
      sql.query(
        "INSERT INTO floor_runs (input, output) SELECT r->'input', r->'output' FROM jsonb_array_elements($1::jsonb) r",
        [`[${items.join(",")}]`],
      ),
    );
    return items.map(() => ({ ok: true as const, value: true as const }));
  },
});

const app = express();
app.use(express.json());
app.post("/echo", async (req, res) => {
  const text = String((req.body as { message?: unknown }).message ?? "");
  const output = { route: text.includes("order") ? "order" : "other", echo: text };
  await rows.submit("floor", JSON.stringify({ input: req.body as unknown, output }));
  res.json(output);
});
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, database: database.name })}\n`,
  );
});
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => void database.close().then(() => process.exit(0)));
});
