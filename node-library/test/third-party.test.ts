import { describe, expect, it } from "vitest";
import { composeWorkflowSchema } from "@flowdeck/schemas";
import weatherNodes from "@acme/flowdeck-node-weather";
import { createBuiltinRegistry, nodePackageHost } from "../src/index";
import { createStrictAjv } from "./support/strict-ajv";

// The example package (examples/flowdeck-node-weather) exports a factory that receives the host's builders;
// the server's loader (server/src/node-packages) calls it the same way.
const weather = () => weatherNodes(nodePackageHost);

describe("a third-party node package", () => {
  it("registers through use() from what its factory returns", () => {
    const registry = createBuiltinRegistry().use(weather());
    expect(registry.has("acme.weather")).toBe(true);
    expect(registry.list().at(-1)?.type).toBe("acme.weather");
  });

  it("registers from a module namespace that exports `nodes` too", () => {
    const registry = createBuiltinRegistry().use({ nodes: weather().nodes });
    expect(registry.has("acme.weather")).toBe(true);
  });

  it("appears in the catalog with its version and migration", () => {
    const catalog = createBuiltinRegistry().use(weather()).catalog();
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

  it("keeps the definition object it registered", () => {
    const plugin = weather();
    const registry = createBuiltinRegistry().use({ default: plugin });
    expect(registry.get("acme.weather")).toBe(plugin.nodes[0]);
  });

  it("becomes part of the composed workflow schema", () => {
    const catalog = createBuiltinRegistry().use(weather()).catalog();
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
