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
  it("needs an order number or an email", () => {
    expect(validate({})).toBe(false);
    expect(validate({ order_id: "{{ vars.order_id }}" })).toBe(true);
    expect(validate({ customer_email: "{{ input.email }}" })).toBe(true);
  });
});

describe("tool.order_update", () => {
  const validate = validator("tool.order_update");
  it("needs the value its action sets", () => {
    expect(validate({ order_id: "1", action: "update_status" })).toBe(false);
    expect(validate({ order_id: "1", action: "update_status", status: "on_hold" })).toBe(true);
    expect(validate({ order_id: "1", action: "change_address" })).toBe(false);
    expect(validate({ order_id: "1", action: "cancel" })).toBe(true);
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
