import { describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "../src/index";
import { createStrictAjv } from "./support/strict-ajv";

// Rules NODE-SPEC states beyond single fields; the published schema must enforce them, not just executors.
const catalog = createBuiltinRegistry().catalog();
const validator = (type: string) => {
  const schema = catalog.get(type)?.configSchema;
  if (!schema) throw new Error(`${type} is not registered`);
  return createStrictAjv().compile(schema);
};

describe("set", () => {
  const validate = validator("set");
  it("needs values or expressions", () => {
    expect(validate({})).toBe(false);
    expect(validate({ values: { topic: "billing" } })).toBe(true);
    expect(validate({ expressions: { attempts: "vars.attempts + 1" } })).toBe(true);
  });
  it("refuses variable names that templates cannot read", () => {
    expect(validate({ values: { "first name": "Ada" } })).toBe(false);
  });
});

describe("tool.order_lookup", () => {
  const validate = validator("tool.order_lookup");
  it("needs the order number and the email it was placed with", () => {
    expect(validate({})).toBe(false);
    expect(validate({ order_id: "{{ vars.order_id }}" })).toBe(false);
    expect(validate({ customer_email: "{{ input.email }}" })).toBe(false);
    expect(validate({ order_id: "{{ vars.order_id }}", customer_email: "{{ vars.email }}" })).toBe(true);
  });
  it("lists output fields from the order's own", () => {
    const base = { order_id: "1", customer_email: "a@example.com" };
    expect(validate({ ...base, fields: ["id", "shipping_address"] })).toBe(true);
    expect(validate({ ...base, fields: ["password"] })).toBe(false);
    expect(validate({ ...base, fields: ["id", "id"] })).toBe(false);
  });
});

describe("tool.order_update", () => {
  const validate = validator("tool.order_update");
  const base = { order_id: "1", customer_email: "a@example.com" };
  it("needs the value its action sets", () => {
    expect(validate({ ...base, action: "update_status" })).toBe(false);
    expect(validate({ ...base, action: "update_status", status: "on_hold" })).toBe(true);
    expect(validate({ ...base, action: "change_address" })).toBe(false);
    expect(validate({ ...base, action: "cancel" })).toBe(true);
  });
  it("needs the order's email as well as its number", () => {
    expect(validate({ order_id: "1", action: "cancel" })).toBe(false);
  });
});

describe("agent tool-call caps", () => {
  const validate = validator("agent");
  it("are whole numbers within bounds", () => {
    const base = { prompt_template: "hi" };
    expect(validate({ ...base, max_tool_calls_per_answer: 1, max_tool_calls_per_step: 128 })).toBe(true);
    expect(validate({ ...base, max_tool_calls_per_answer: 0 })).toBe(false);
    expect(validate({ ...base, max_tool_calls_per_answer: 33 })).toBe(false);
    expect(validate({ ...base, max_tool_calls_per_step: 129 })).toBe(false);
    expect(validate({ ...base, max_tool_calls_per_step: 2.5 })).toBe(false);
  });
});

describe("enums", () => {
  it("are published as a string enum, not anyOf of consts", () => {
    const method = (
      catalog.get("tool.http")?.configSchema.properties as Record<string, Record<string, unknown>>
    ).method;
    expect(method).toMatchObject({
      type: "string",
      enum: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      default: "GET",
    });
    expect(method).not.toHaveProperty("anyOf");
  });
});

describe("subflow.version", () => {
  const validate = validator("subflow");
  it("is latest or a published version number", () => {
    expect(validate({ workflow: "order_management", version: "latest" })).toBe(true);
    expect(validate({ workflow: "order_management", version: 2 })).toBe(true);
    expect(validate({ workflow: "order_management", version: "newest" })).toBe(false);
    expect(validate({ workflow: "order_management", version: 0 })).toBe(false);
  });
});

describe("the seed's agent node", () => {
  it("validates once its legacy next_node is stripped", () => {
    const validate = validator("agent");
    const seed = { agent_type: "processor", model: "gpt-4o", prompt_template: "Process: {message}" };
    expect(validate(seed)).toBe(true);
    expect(validate({ ...seed, next_node: "end" })).toBe(false);
  });
});
