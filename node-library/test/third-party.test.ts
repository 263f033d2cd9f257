import { describe, expect, it } from "vitest";
import { composeWorkflowSchema } from "@flowdeck/schemas";
import { createBuiltinRegistry } from "../src/index";
import { createStrictAjv } from "./support/strict-ajv";

describe("a third-party node package", () => {
  it("registers through use() from its module namespace", async () => {
    const registry = createBuiltinRegistry().use(await import("@acme/flowdeck-node-weather"));
    expect(registry.has("acme.weather")).toBe(true);
    expect(registry.list().at(-1)?.type).toBe("acme.weather");
  });

  it("appears in the catalog with its version and migration", async () => {
    const catalog = createBuiltinRegistry()
      .use(await import("@acme/flowdeck-node-weather"))
      .catalog();
    const info = catalog.get("acme.weather");
    expect(info).toMatchObject({
      type: "acme.weather",
      version: 2,
      category: "tools",
      outputs: ["out", "error"],
    });
    expect(info?.migrate?.({ city: "Lisbon", units: "metric" }, 1)).toEqual({
      location: "Lisbon",
      units: "metric",
    });
  });

  it("is registered by its default export too", async () => {
    const weather = await import("@acme/flowdeck-node-weather");
    const registry = createBuiltinRegistry().use(weather.default);
    expect(registry.get("acme.weather")).toBe(weather.weatherDefinition);
  });

  it("becomes part of the composed workflow schema", async () => {
    const catalog = createBuiltinRegistry()
      .use(await import("@acme/flowdeck-node-weather"))
      .catalog();
    const schema = composeWorkflowSchema(catalog);
    expect(JSON.stringify(schema)).toContain('"acme.weather"');

    const validate = createStrictAjv({ discriminator: true }).compile(schema);
    const workflow = {
      name: "delivery_weather",
      nodes: [
        { name: "start", type: "start" },
        { name: "weather", type: "acme.weather", type_version: 2, config: { location: "{{ input.city }}" } },
        { name: "done", type: "end", config: { reply: "It is {{ nodes.weather.output.conditions }}." } },
      ],
      edges: [
        { from: "start", to: "weather" },
        { from: "weather", to: "done" },
      ],
    };
    expect({ valid: validate(workflow), errors: validate.errors ?? [] }).toMatchObject({ valid: true });
    const misspelt = structuredClone(workflow);
    misspelt.nodes[1] = { ...workflow.nodes[1]!, config: { locaton: "Lisbon" } as never };
    expect(validate(misspelt)).toBe(false);
  });
});
