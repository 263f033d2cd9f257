import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main";
import type { CliIo } from "../src/cli/io";
import { readWorkflowFile } from "../src/cli/io";

const WORKFLOWS = join(import.meta.dirname, "../../workflows");
const SUPPORT = join(WORKFLOWS, "customer_support_workflow.yaml");

async function cli(argv: string[], input: string[] = []) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  // Like a terminal: streamed text (`write`) joins the line that `out` ends.
  let partial = "";
  const io: CliIo = {
    out: (line) => {
      stdout.push(partial + line);
      partial = "";
    },
    write: (text) => {
      partial += text;
    },
    err: (line) => stderr.push(line),
    readText: readWorkflowFile,
    writeText: () => Promise.resolve(),
  };
  async function* lines() {
    yield* input;
  }
  const code = await runCli(argv, io, lines);
  return { code, stdout, stderr };
}

// The CLI runs on the embedded store (PGlite) with the demo shop, so these are end-to-end runs.
describe("flowdeck run / chat / route", { timeout: 60_000 }, () => {
  it("run: prints the messages, the step trace and the output", async () => {
    const { code, stdout } = await cli([
      "run",
      SUPPORT,
      "--input",
      '{"message":"How long does shipping take?"}',
    ]);
    expect(code).toBe(0);
    expect(stdout[0]).toBe("bot: Hi there! Welcome to Acme Outfitters. How can I help you today?");
    expect(
      stdout.some((l) => /^ {2}main\/classify_intent#1 +router +completed → out \[local\]$/.test(l)),
    ).toBe(true);
    expect(stdout.some((l) => l.includes("main/faq_flow#1/search_kb#1"))).toBe(true);
    expect(stdout.at(-1)).toMatch(/^completed: \{.*"outcome":"resolved"/);
  });

  it("run: a flow that asks reports that it waits", async () => {
    const { code, stdout } = await cli([
      "run",
      join(WORKFLOWS, "lead_capture.yaml"),
      "--input",
      '{"message":"bulk order"}',
    ]);
    expect(code).toBe(0);
    expect(stdout.at(-1)).toMatch(/^waiting for the customer's answer/);
  });

  it("run: bad --input is a usage error", async () => {
    expect((await cli(["run", SUPPORT, "--input", "{nope"])).code).toBe(2);
    expect((await cli(["run", SUPPORT, "--input", "[1]"])).stderr[0]).toMatch(/must be a JSON object/);
  });

  it("chat: a multi-turn conversation that changes an order", async () => {
    const { code, stdout } = await cli(
      ["chat", SUPPORT],
      ["I'd like to cancel my order", "AO-10485", "liam.oconnor@example.com", "yes", "/quit"],
    );
    expect(code).toBe(0);
    const bot = stdout.filter((l) => l.startsWith("bot: ") || l.startsWith("("));
    expect(bot[1]).toMatch(/order number/);
    // The order is only changed for the email it was placed with.
    expect(bot.slice(2).join("\n")).toMatch(/email address you placed the order with/);
    expect(bot.join("\n")).toMatch(/should I cancel order AO-10485/);
    // The offline provider streams the agent's answer word by word, as a model would.
    expect(bot).toContain("bot: Done — order AO-10485 is cancelled. We've emailed you the refund details.");
    expect(bot.at(-1)).toMatch(/^\(conversation ended/);
  });

  it("chat: a handoff is answered with /handback", async () => {
    const { stdout } = await cli(
      ["chat", SUPPORT],
      ["I want to talk to a human", "/handback Hi, Sam here — sorted!", "/quit"],
    );
    expect(stdout).toContain("(handed off to a human on the support queue — /handback to answer as them)");
    expect(stdout).toContain("agent: Hi, Sam here — sorted!");
    expect(stdout.at(-1)).toMatch(/^\(conversation ended/);
  });

  it("route: one JSON line per message with route, confidence and tier", async () => {
    const { code, stdout } = await cli(
      ["route", SUPPORT, "classify_intent"],
      ["where is my parcel", "", "my promo code is not working"],
    );
    expect(code).toBe(0);
    const rows = stdout.map((l) => JSON.parse(l) as { route: string; confidence: number; tier: string });
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.route, r.tier])).toEqual([
      ["order", "local"],
      ["technical", "local"],
    ]);
    expect(rows.every((r) => r.confidence >= 0 && r.confidence <= 1)).toBe(true);
  });

  it("route: names the routers when the node is wrong", async () => {
    const { code, stderr } = await cli(["route", SUPPORT, "nope"]);
    expect(code).toBe(2);
    expect(stderr[0]).toMatch(/no router node "nope" \(routers: classify_intent\)/);
  });
});
