// The run page's step detail (what a support lead reads to explain a decision), the channel names and the
// Runs list's filters, as pure functions and as server-rendered markup (the editor's unit tests run in Node).
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/api";
import type { RunDetail, RunStep } from "../../src/api/runs-types";
import { channelLabel, channelText } from "../../src/runs/channel-label";
import { channelOptions } from "../../src/runs/channel-options";
import { COLLAPSE_LINES } from "../../src/runs/json-block";
import { plainActionError } from "../../src/runs/run-actions";
import { DEFAULT_RUN_FILTER, filterFrom } from "../../src/runs/run-filters";
import { StepDetail } from "../../src/runs/step-detail";
import { attemptsOf, lastStepOfNode, stepDurationMs, stepFacts, stepInput } from "../../src/runs/step-facts";

const step = (over: Partial<RunStep> & Pick<RunStep, "stepId" | "nodeName" | "nodeType">): RunStep => ({
  attempt: 1,
  status: "completed",
  output: null,
  startedAt: "2026-12-01T10:00:00.000Z",
  finishedAt: "2026-12-01T10:00:00.250Z",
  ...over,
});

const router = step({
  stepId: "s2",
  nodeName: "triage",
  nodeType: "router",
  port: "refund",
  output: { route: "refund", confidence: 0.4123, tier: "llm", unsure: true, model: "small" },
  details: { tier: "llm", unsure: true, localConfidence: 0.41, savedUsd: 0 },
  usage: { promptTokens: 120, completionTokens: 8, costUsd: 0.0002 },
  costUsd: 0.0002,
});
const agent = step({
  stepId: "s3",
  nodeName: "answer",
  nodeType: "agent",
  status: "failed",
  attempt: 2,
  output: null,
  error: { code: "FD240", message: "The model did not answer in time." },
  usage: { promptTokens: 900, completionTokens: 0, costUsd: 0.0031 },
  costUsd: 0.0031,
});
const start = step({
  stepId: "s1",
  nodeName: "start",
  nodeType: "start",
  output: { message: "Refund please" },
});

const run = {
  id: "r1",
  input: { message: "Refund please" },
  steps: [start, router, agent],
  events: [
    { seq: 5, type: "step.retrying", data: { stepId: "s3", attempt: 1 }, at: "2026-12-01T10:00:01.000Z" },
  ],
} as unknown as RunDetail;

const facts = (s: RunStep) => Object.fromEntries(stepFacts(s).map((f) => [f.name, f.value]));

describe("step facts", () => {
  it("explains a router's decision: route, confidence, unsure, tier, tokens and cost", () => {
    expect(stepFacts(router).map((f) => f.name)).toEqual([
      "port",
      "route",
      "confidence",
      "unsure",
      "tier",
      "model",
      "tokens",
      "cost",
    ]);
    expect(facts(router)).toMatchObject({ route: "refund", confidence: "0.41", unsure: "yes", tier: "llm" });
    expect(facts(router).tokens).toBe("120 in / 8 out");
  });

  it("prices an agent's tokens, counts its attempts and times it", () => {
    expect(facts(agent)).toMatchObject({ tokens: "900 in / 0 out", cost: "$0.0031" });
    expect(attemptsOf(run, agent)).toBe(2);
    expect(stepDurationMs(agent)).toBe(250);
  });

  it("takes a step's input from the run (first step) or the step before, and a node's last visit", () => {
    expect(stepInput(run, start)).toEqual({ message: "Refund please" });
    expect(stepInput(run, router)).toEqual({ message: "Refund please" });
    expect(stepInput(run, agent)).toEqual(router.output);
    expect(lastStepOfNode(run, "answer")?.stepId).toBe("s3");
    expect(lastStepOfNode(run, "nowhere")).toBeUndefined();
  });
});

describe("StepDetail", () => {
  it("shows node, status, attempts, times, the router's facts and its input and output", () => {
    const html = renderToStaticMarkup(<StepDetail run={run} step={router} />);
    expect(html).toContain("Step: triage");
    expect(html).toContain("(router)");
    expect(html).toMatch(/data-fact="unsure"><dt>unsure<\/dt><dd>yes<\/dd>/);
    expect(html).toMatch(/data-fact="duration"><dt>duration<\/dt><dd>250 ms<\/dd>/);
    expect(html).toContain("Input (the previous step&#x27;s output)");
    expect(html).toContain("&quot;route&quot;: &quot;refund&quot;");
  });

  it("shows a failed step's error code and message", () => {
    const html = renderToStaticMarkup(<StepDetail run={run} step={agent} />);
    expect(html).toContain("<strong>FD240</strong> The model did not answer in time.");
    expect(html).toMatch(/data-fact="attempts"><dt>attempts<\/dt><dd>2<\/dd>/);
  });

  it("opens short JSON and folds long JSON", () => {
    const long = step({
      stepId: "s9",
      nodeName: "lookup",
      nodeType: "http",
      output: Object.fromEntries(Array.from({ length: COLLAPSE_LINES + 5 }, (_, i) => [`k${i}`, i])),
    });
    const html = renderToStaticMarkup(<StepDetail run={{ ...run, steps: [long] }} step={long} />);
    expect(html).toMatch(/<details class="fd-run__json" open="" data-testid="run-step-input">/);
    expect(html).toMatch(/<details class="fd-run__json" data-testid="run-step-output">/);
    expect(html).toContain(`(${COLLAPSE_LINES + 7} lines)`);
  });
});

describe("channels and filters", () => {
  it("names channels with their kind instead of their ids", () => {
    const id = "0b7e3c0e-4f5e-4f3a-9d55-1a2b3c4d5e6f";
    expect(channelText(`web:${id}`, "Support site")).toBe("Support site (web chat)");
    expect(channelText(`webhook:${id}`, "CRM")).toBe("CRM (webhook)");
    expect(channelLabel(`webhook:${id}`, null)).toEqual({
      text: "Unnamed channel 0b7e3c0e",
      kind: "webhook",
    });
    expect(channelText("test", null)).toBe("Editor test run");
    expect(channelText(`replay:${id}`, null)).toBe("Replay");
    expect(channelText("api", null)).toBe("API");
    expect(
      channelOptions(
        [{ id, kind: "web", name: "Support site" }],
        [
          { channel: `web:${id}`, channelName: "Support site" },
          { channel: "webhook:11111111-2222-4333-8444-555555555555", channelName: "CRM" },
          { channel: "api", channelName: null },
        ],
      ),
    ).toEqual([
      { value: "webhook:11111111-2222-4333-8444-555555555555", label: "CRM (webhook)" },
      { value: `web:${id}`, label: "Support site (web chat)" },
    ]);
  });

  it("lists live runs by default and test runs when asked", () => {
    expect(DEFAULT_RUN_FILTER).toEqual({ testRuns: "exclude" });
    const blank = { status: "", workflow: "", version: "", channel: "", since: "", includeTests: false };
    expect(filterFrom(blank)).toEqual({ testRuns: "exclude" });
    expect(filterFrom({ ...blank, includeTests: true })).toEqual({});
    expect(filterFrom({ ...blank, channel: "test" })).toEqual({ channel: "test" });
    expect(filterFrom({ ...blank, version: "2", includeTests: true })).toEqual({ version: 2 });
    expect(filterFrom({ ...blank, version: "1.5", includeTests: true })).toEqual({});
  });

  it("says why Cancel or Replay was refused in plain words", () => {
    const refused = new ApiError(403, { code: "FD313", message: "Role too low." });
    expect(plainActionError("cancel", refused)).toBe(
      "Your role cannot cancel this run: it takes an editor, admin or owner.",
    );
    const gone = new ApiError(404, { code: "FD322", message: "No such run." });
    expect(plainActionError("replay", gone)).toContain("no longer exists");
  });
});
