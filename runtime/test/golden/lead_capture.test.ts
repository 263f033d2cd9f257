import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  converse,
  createGoldenSuite,
  PROVIDERS,
  step,
  trace,
  type Golden,
  type GoldenSuite,
} from "./golden-kit";

// lead_capture: four questions (name, email with a shape check, company, interest) → tool.lead_capture
// (an upsert by email) → thanks. No model is involved, so both providers must behave identically.

let suite: GoldenSuite;
beforeAll(async () => {
  suite = await createGoldenSuite();
});
afterAll(() => suite.close());

interface LeadRow {
  id: string;
  email: string;
  name: string | null;
  company: string | null;
  interest: string | null;
  source: string;
  status: string;
  notes: string | null;
  created_at: string;
  /** Changed after it was created (by an upsert). */
  touched: boolean;
}

async function leadsFor(g: Golden, email: string): Promise<LeadRow[]> {
  return g.query<LeadRow>(
    `SELECT id, email, name, company, interest, source, status, notes,
            created_at::text AS created_at, updated_at > created_at AS touched
       FROM leads WHERE email = $1`,
    [email],
  );
}

const OPENING =
  "Hi there, I run a small climbing gym and we'd like about 40 branded t-shirts and chalk bags for our staff";
const ANSWERS = [
  "Sam Whitaker",
  "sam.whitaker at cragworks dot com",
  "  Sam.Whitaker@CragWorks.com ",
  "CragWorks Climbing",
  "Bulk or team orders",
];
const EMAIL = "sam.whitaker@cragworks.com";

describe.each(PROVIDERS)("lead_capture on %s", (provider) => {
  let g: Golden;
  beforeEach(() => {
    g = suite.use(provider);
  });

  it("collects the details, re-asks for a malformed email, and files one lead", async () => {
    const first = await converse(g, "lead_capture", OPENING, ANSWERS);

    expect(first.turns.map((t) => [t.said, t.replies, t.status])).toEqual([
      [
        OPENING,
        ["Great, our business team would love to help with that! First, what's your name?"],
        "waiting",
      ],
      ["Sam Whitaker", ["Thanks, Sam Whitaker! Which email address should our team reply to?"], "waiting"],
      [
        "sam.whitaker at cragworks dot com",
        ["That doesn't look like an email address. Could you check it? (e.g. jane@example.com)"],
        "waiting",
      ],
      [
        "  Sam.Whitaker@CragWorks.com ",
        ['Which company or organisation are you with? If it\'s just for you, type "none".'],
        "waiting",
      ],
      ["CragWorks Climbing", ["And what are you interested in?"], "waiting"],
      [
        "Bulk or team orders",
        [
          "Thank you, Sam Whitaker! I've passed your enquiry to our business team.\n" +
            `They usually reply within one business day at ${EMAIL}.`,
        ],
        "completed",
      ],
    ]);
    expect(trace(first)).toEqual([
      "start#1:out",
      "ask_name#1:out",
      "ask_email#1:out",
      "ask_company#1:out",
      "ask_interest#1:out",
      "save_lead#1:out",
      "remember_contact#1:out",
      "thank_you#1:out",
      "done#1",
    ]);
    // The rejected answer is not stored; the accepted one is the email found in it (the ask's entity).
    expect(step(first, "ask_email#1").output).toEqual({ answer: "sam.whitaker@cragworks.com" });
    // Kept for the rest of the conversation (conversation.customer_name, conversation.email).
    expect(first.run.state.conversation.remembered).toEqual({ customer_name: "Sam Whitaker", email: EMAIL });

    const rows = await leadsFor(g, EMAIL);
    expect(rows).toEqual([
      expect.objectContaining({
        email: EMAIL,
        name: "Sam Whitaker",
        company: "CragWorks Climbing",
        interest: "Bulk or team orders",
        source: "chat",
        status: "new",
        notes: expect.stringContaining("Signed-in account: not signed in"),
      }),
    ]);
    expect(step(first, "save_lead#1").output).toEqual({ lead_id: rows[0]!.id, created: true });
    expect(first.run.output).toEqual({ reply: null, outcome: "resolved", output: { lead_id: rows[0]!.id } });
    const keys = await g.query("SELECT key, kind FROM idempotency_keys WHERE key LIKE $1", [
      `${first.runId}:%`,
    ]);
    expect(keys).toEqual([{ key: `${first.runId}:main/save_lead#1`, kind: "lead_capture" }]);
    expect(g.server.requests).toHaveLength(0);
  });

  it("updates the same lead by email when the same conversation is repeated in a new run", async () => {
    const opening = "Hello! I coach a youth hiking club, do you give group discounts on rain jackets?";
    const answers = ["Priya Shah", "priya@trailkids.org", "Trail Kids Hiking Club", "Bulk or team orders"];
    const once = await converse(g, "lead_capture", opening, answers);
    const [before] = await leadsFor(g, "priya@trailkids.org");
    const again = await converse(g, "lead_capture", opening, answers);

    expect(again.runId).not.toBe(once.runId);
    expect(again.replies).toEqual(once.replies);
    expect(before!.touched).toBe(false);
    expect(step(once, "save_lead#1").output).toEqual({ lead_id: before!.id, created: true });
    expect(step(again, "save_lead#1").output).toEqual({ lead_id: before!.id, created: false });
    // One row per (tenant, email): the second save updates it, appends the notes and keeps the first source.
    const rows = await leadsFor(g, "priya@trailkids.org");
    expect(rows).toEqual([
      {
        ...before!,
        notes: `${before!.notes}\n\n${before!.notes}`,
        touched: true,
      },
    ]);
    for (const run of [once, again]) {
      const keys = await g.query("SELECT kind FROM idempotency_keys WHERE key LIKE $1", [`${run.runId}:%`]);
      expect(keys).toEqual([{ kind: "lead_capture" }]);
    }
  });

  it("files a wholesale enquiry with a different email as a new lead", async () => {
    const c = await converse(
      g,
      "lead_capture",
      "Do you do wholesale? I own an outdoor shop in Bend, Oregon.",
      ["Rosa Delgado", "rosa@highdeserttrail.com", "High Desert Trail Supply", "Wholesale or reselling"],
    );
    expect(c.run.status).toBe("completed");
    const rows = await leadsFor(g, "rosa@highdeserttrail.com");
    expect(rows).toEqual([
      expect.objectContaining({
        name: "Rosa Delgado",
        company: "High Desert Trail Supply",
        interest: "Wholesale or reselling",
      }),
    ]);
    expect(step(c, "save_lead#1").output).toEqual({ lead_id: rows[0]!.id, created: true });
  });
});

describe("lead_capture keeps the opening message", () => {
  // input.message is the customer's LATEST message (NODE-SPEC.md): by save_lead it is the interest answer.
  it("files the customer's first message in the lead's notes", async () => {
    const g = suite.use("offline");
    const c = await converse(g, "lead_capture", "Can I get a quote for 25 embroidered fleeces?", [
      "Noor Haddad",
      "noor@brightpath.org",
      "BrightPath",
      "Custom branding",
    ]);
    const [lead] = await leadsFor(g, "noor@brightpath.org");
    expect(c.run.status).toBe("completed");
    expect(lead!.notes).toContain("First message in chat: Can I get a quote for 25 embroidered fleeces?");
  });
});
