import { celProgram, compileCel, CONDITION_ROOTS } from "@flowdeck/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateExpression, renderTemplate } from "../../src/engine/scope";
import { createModelGateway } from "../../src/models/model-gateway";
import { createHarness, type Harness } from "../support/harness";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";

const TEMPLATE_BAIT =
  "{{ tenant.id }} {% for x in (1..3) %}{{ x }}{% endfor %} ${process.env.HOME} #{1+1} {{ 7 * 7 }}";

const scope = {
  input: { message: "hi", nested: { a: 1 } },
  vars: { list: [1, 2] },
  nodes: { prev: { output: { text: "x" } } },
  conversation: { id: "c", channel: "test", history: [] },
  tenant: { id: "t1", name: "Acme" },
};

// Every way we know to reach a prototype, a constructor or a Node global from a template.
const TEMPLATE_ESCAPES = [
  "{{ input.constructor }}",
  "{{ input.constructor.constructor }}",
  "{{ input.__proto__ }}",
  "{{ input['__proto__'] }}",
  "{{ input['constructor']['constructor']('return process')() }}",
  "{% assign c = 'constructor' %}{{ input[c][c] }}",
  "{{ process }}",
  "{{ process.env }}",
  "{{ global }}",
  "{{ globalThis }}",
  "{{ require }}",
  "{{ this }}",
  "{{ vars.list.constructor.name }}",
  "{{ tenant.name.constructor }}",
  "{{ input.message.length }}{{ input.message.__defineGetter__ }}",
  "{% include '/etc/passwd' %}",
  "{% render '../../package.json' %}",
];

// The same for CEL: each must be refused by the checker or evaluate without reaching anything.
const CEL_ESCAPES = [
  "input.constructor",
  'input.constructor("return process")',
  "input.__proto__",
  'input["__proto__"]',
  'input["constructor"]["constructor"]',
  "process",
  "process.env",
  'import("fs")',
  "globalThis",
  "this",
  "require('child_process')",
  "vars.list.constructor",
  "input.message.__lookupGetter__",
  "dyn(input).constructor",
];

describe("hostile data", () => {
  it.each(TEMPLATE_ESCAPES)("template %s reaches nothing", async (template) => {
    let rendered: string;
    try {
      rendered = await renderTemplate(template, scope);
    } catch (error) {
      // A refused template is fine; what matters is what could not be read.
      rendered = `refused: ${(error as Error & { code?: string }).code ?? ""}`;
    }
    expect(rendered).not.toMatch(
      /function|native code|\[object|process|root:|"name"\s*:\s*"flowdeck"|Object|Array/,
    );
  });

  it.each(CEL_ESCAPES)("CEL %s is refused or reaches nothing", (expression) => {
    const compiled = compileCel(expression, CONDITION_ROOTS);
    let value: unknown;
    try {
      value = evaluateExpression(expression, scope);
    } catch (error) {
      value = `refused: ${(error as Error & { code?: string }).code ?? ""}`;
    }
    expect(typeof value).not.toBe("function");
    expect(String(value)).not.toMatch(/native code|\[object process|Function/);
    // What the editor refuses at save time, the runtime refuses too: one environment for both.
    expect(compiled.ok || String(value).startsWith("refused")).toBe(true);
    expect(() => celProgram("1 + 1", CONDITION_ROOTS)).not.toThrow();
  });
});

const ECHO = `name: echo
nodes:
  - { name: start, type: start }
  - { name: search, type: tool.kb_search, config: { query: "{{ input.message }}" } }
  - name: answer
    type: agent
    config:
      prompt_template: "Q: {{ input.message }}"
      fallback_template: "Top article: {{ nodes.search.output.results[0].title }} / {{ input.message }}"
  - { name: done, type: end, config: { reply: "Model said: {{ nodes.answer.output.text }}" } }
edges:
  - { from: start, to: search }
  - { from: search, to: answer }
  - { from: answer, to: done }
`;

describe("data is never rendered twice", () => {
  let h: Harness;
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    h = await createHarness({
      kind: "pglite",
      workflows: [ECHO],
      seed: true,
      models: createModelGateway({ apiKey: "sk-test", baseURL: server.url }),
    });
    // A knowledge-base article whose text looks like a template: tool results are data.
    await h.database.db.transaction(
      (sql) =>
        sql.query(
          "INSERT INTO kb_articles (tenant_id, slug, title, body, category) VALUES ($1, 'template-bait', $2, $3, 'general')",
          [
            h.tenantId,
            "Password {{ tenant.id }} reset {% raw %}",
            "To reset your password {{ 7 * 7 }} open settings",
          ],
        ),
      { tenantId: h.tenantId },
    );
  });
  afterAll(async () => {
    await h.close();
    await server.close();
  });

  it("customer text, tool results and model output stay literal", async () => {
    server.script([{ text: `Sure! ${TEMPLATE_BAIT}` }]);
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("echo"),
      input: { message: `reset password ${TEMPLATE_BAIT}` },
    });
    expect(run.status).toBe("completed");
    const messages = await h.messages(run.id);
    expect(messages).toEqual([`Sure! ${TEMPLATE_BAIT}`, `Model said: Sure! ${TEMPLATE_BAIT}`]);
    expect(server.requests[0]?.lastUserMessage).toBe(`Q: reset password ${TEMPLATE_BAIT}`);
  });
});
