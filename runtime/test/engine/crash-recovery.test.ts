import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";

/**
 * A flow with three side effects (a ticket, a lead, an order cancellation) between pure steps. The process
 * "dies" after each step boundary in turn: the step has run, nothing after it has. A new engine on the same
 * database then continues the run. Whatever the crash point, the run must end in the same state with every
 * side effect written exactly once.
 */
const FLOW = `name: effects
nodes:
  - { name: start, type: start }
  - { name: ticket, type: tool.ticket_create, config: { subject: "Crash test", description: "{{ input.message }}", priority: high } }
  - { name: note, type: set, config: { values: { ticket: "{{ nodes.ticket.output.ticket_id }}" } } }
  - { name: lead, type: tool.lead_capture, config: { email: "crash@example.com", name: "Crash Test" } }
  - { name: tell, type: reply, config: { text: "Ticket {{ vars.ticket }} opened" } }
  - name: cancel
    type: tool.order_update
    config: { order_id: AO-10485, customer_email: liam.oconnor@example.com, action: cancel, reason: "crash test" }
  - { name: check, type: condition, config: { expression: "nodes.cancel.output.updated" } }
  - { name: done, type: end, config: { reply: "Order cancelled, ticket {{ vars.ticket }}", outcome: resolved } }
  - { name: odd, type: end, config: { outcome: unresolved } }
edges:
  - { from: start, to: ticket }
  - { from: ticket, to: note }
  - { from: note, to: lead }
  - { from: lead, to: tell }
  - { from: tell, to: cancel }
  - { from: cancel, to: check }
  - { from: check, to: done, port: then }
  - { from: check, to: odd, port: else }
`;

class SimulatedCrash extends Error {}

/** The end state every scenario must reach: completed, each side effect once. */
function sameAsWithoutCrash() {
  return {
    status: "completed",
    output: {
      reply: expect.stringMatching(/^Order cancelled, ticket TCK-\d+$/),
      outcome: "resolved",
      output: {},
    },
    messages: ["Ticket TCK-n opened", "Order cancelled, ticket TCK-n"],
    tickets: 1,
    leads: 1,
    keys: 3,
    orderStatus: "cancelled",
  };
}

interface Observed {
  status: string;
  output: unknown;
  messages: string[];
  tickets: number;
  leads: number;
  keys: number;
  orderStatus: string;
}

describe("crash recovery", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ kind: "pg", workflows: [FLOW], seed: true });
  });
  afterAll(() => h.close());

  /** Each scenario gets its own tenant so rows can be counted exactly. */
  async function scenario(
    crashAtStep: number | undefined,
    how: "throw" | "kill" = "throw",
  ): Promise<Observed & { crashed: boolean }> {
    const tenantId = await h.database.createTenant(`crash ${crashAtStep}`, { seed: true });
    const runId = crypto.randomUUID();
    let crashed = false;
    if (how === "kill") {
      crashed = await killedChild(tenantId, runId, crashAtStep ?? 0);
    } else {
      let steps = 0;
      const dying = h.restart({
        afterStep: () => {
          steps += 1;
          if (steps === crashAtStep) throw new SimulatedCrash(`died after step ${steps}`);
        },
      });
      try {
        await dying.startRun({
          tenantId,
          workflow: h.workflow("effects"),
          input: { message: "printer on fire" },
          runId,
        });
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashed = true;
      }
    }
    const run = await h.restart().continueRun(tenantId, runId);
    const events = await h.store.listEvents(tenantId, runId);
    const count = (table: string) =>
      h.database.db.transaction(
        async (sql) =>
          Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n),
        { tenantId },
      );
    const orderStatus = await h.database.db.transaction(
      async (sql) =>
        (await sql.query<{ status: string }>("SELECT status FROM orders WHERE id = 'AO-10485'")).rows[0]!
          .status,
      { tenantId },
    );
    return {
      crashed,
      status: run.status,
      output: run.output,
      messages: events
        .filter((e) => e.type === "message.sent")
        .map((e) => String(e.data.text).replace(/TCK-\d+/, "TCK-n")),
      tickets: await count("tickets"),
      leads: await count("leads"),
      keys: await count("idempotency_keys"),
      orderStatus,
    };
  }

  it("a run without a crash sets the reference", async () => {
    const { crashed, ...reference } = await scenario(undefined);
    expect(crashed).toBe(false);
    expect(reference).toEqual(sameAsWithoutCrash());
  });

  /** Runs the flow in a child process that SIGKILLs itself after the step; true when it died that way. */
  async function killedChild(tenantId: string, runId: string, crashAt: number): Promise<boolean> {
    const file = join(mkdtempSync(join(tmpdir(), "flowdeck-crash-")), "effects.yaml");
    writeFileSync(file, FLOW);
    const url = `postgres://postgres@127.0.0.1:5432/${h.database.name}`;
    const child = join(import.meta.dirname, "../support/crash-child.ts");
    const root = join(import.meta.dirname, "../../..");
    try {
      // Node itself with the tsx loader (not the tsx wrapper), so the process that dies is the one we watch.
      await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", child, url, tenantId, runId, String(crashAt), file],
        { cwd: root },
      );
      return false;
    } catch (error) {
      const { signal, stderr } = error as { signal?: string; stderr?: string };
      if (signal !== "SIGKILL") throw new Error(`the child did not die by SIGKILL: ${stderr ?? ""}`);
      return true;
    }
  }

  // Effectful boundaries (after ticket, lead, cancel) and a pure one, with a real SIGKILL of the process.
  it.each([2, 3, 4, 6])(
    "a process killed with SIGKILL after step %i is recovered the same way",
    { timeout: 30_000 },
    async (step) => {
      const { crashed, ...observed } = await scenario(step, "kill");
      expect(crashed).toBe(true);
      expect(observed).toEqual(sameAsWithoutCrash());
    },
  );

  // start, ticket, note, lead, tell, cancel, check, done: eight step boundaries.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    "dies after step %i and resumes to the same state, effects exactly once",
    async (step) => {
      const { crashed, ...observed } = await scenario(step);
      expect(crashed).toBe(true);
      expect(observed).toEqual(sameAsWithoutCrash());
    },
  );
});
