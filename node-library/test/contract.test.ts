import Type from "typebox";
import { describe, expect, it } from "vitest";
import { EXPRESSION_MEDIA_TYPE, TEMPLATE_MEDIA_TYPE } from "@flowdeck/schemas";
import {
  builtinNodes,
  createBuiltinRegistry,
  createRegistry,
  defineNode,
  NodeRegistryError,
} from "../src/index";
import { createStrictAjv } from "./support/strict-ajv";
import { defaultsConfig, walkSchema, type Schema } from "./support/schema-walk";

// Everything below iterates the registry, so a built-in added later is covered without touching this file.
const registry = createBuiltinRegistry();
const catalog = registry.catalog();
const definitions = registry.list();
const WAITING_TYPES = ["ask", "handoff"];

const publishedSchema = (type: string): Schema => {
  const info = catalog.get(type);
  if (!info) throw new Error(`${type} is missing from the catalog`);
  return info.configSchema;
};

describe.each(definitions.map((definition) => [definition.type, definition] as const))(
  "built-in %s",
  (type, definition) => {
    const schema = publishedSchema(type);

    it("config schema compiles under Ajv 2020 strict mode", () => {
      expect(() => createStrictAjv().compile(schema)).not.toThrow();
    });

    it("every example validates", () => {
      const validate = createStrictAjv().compile(schema);
      expect(definition.examples.length).toBeGreaterThan(0);
      for (const example of definition.examples) {
        expect({ example, valid: validate(example), errors: validate.errors ?? [] }).toMatchObject({
          valid: true,
        });
      }
    });

    it("the inspector's starting config (defaults plus required example values) validates", () => {
      const validate = createStrictAjv().compile(schema);
      const config = defaultsConfig(schema, definition.examples[0] as Record<string, unknown>);
      expect({ config, valid: validate(config), errors: validate.errors ?? [] }).toMatchObject({
        valid: true,
      });
    });

    it("every default satisfies its own field schema", () => {
      const withDefaults = walkSchema(schema).filter(({ schema: sub }) => "default" in sub);
      for (const { path, schema: sub } of withDefaults) {
        const { default: value, ...rest } = sub;
        const validate = createStrictAjv().compile(rest);
        expect({ path, valid: validate(value) }).toEqual({ path, valid: true });
      }
    });

    it("is an object config with a title and description on every property", () => {
      expect(schema.type).toBe("object");
      const properties = walkSchema(schema).filter((visited) => visited.propertyName !== undefined);
      for (const { path, schema: property } of properties) {
        expect({ path, title: typeof property.title, description: typeof property.description }).toEqual({
          path,
          title: "string",
          description: "string",
        });
        expect({
          path,
          blank: String(property.title).trim() === "" || String(property.description).trim() === "",
        }).toEqual({
          path,
          blank: false,
        });
      }
    });

    it("refuses unknown keys in every object it declares", () => {
      // Only object schemas: `requireKeys` clauses inside anyOf/if-then repeat keys under `properties` too.
      const objects = walkSchema(schema).filter(
        ({ schema: sub }) => sub.type === "object" && (sub.properties || sub.patternProperties),
      );
      expect(objects.length).toBeGreaterThan(0);
      for (const { path, schema: sub } of objects)
        expect({ path, additionalProperties: sub.additionalProperties }).toEqual({
          path,
          additionalProperties: false,
        });
    });

    it("marks code fields only with the two agreed media types", () => {
      const mediaTypes = walkSchema(schema).flatMap(({ schema: sub }) =>
        sub.contentMediaType ? [sub.contentMediaType] : [],
      );
      for (const mediaType of mediaTypes)
        expect([TEMPLATE_MEDIA_TYPE, EXPRESSION_MEDIA_TYPE]).toContain(mediaType);
    });

    it("has complete meta for the palette and docs page", () => {
      const { meta } = definition;
      for (const field of ["title", "description", "docs", "icon", "category"] as const) {
        expect({ field, filled: typeof meta[field] === "string" && meta[field].trim() !== "" }).toEqual({
          field,
          filled: true,
        });
      }
      expect(meta.icon).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(["flow", "ai", "logic", "human", "tools"]).toContain(meta.category);
    });

    it("has a migration for every version step up to the current version", () => {
      const steps = Object.keys(definition.migrations ?? {})
        .map(Number)
        .sort((a, b) => a - b);
      expect(steps).toEqual(Array.from({ length: definition.version - 1 }, (_, i) => i + 1));
    });

    it("declares output ports (none only for end) and the shared input port", () => {
      expect(definition.ports.inputs).toContain("in");
      expect(definition.ports.outputs.length === 0).toBe(type === "end");
      expect(catalog.get(type)?.outputs).toEqual(definition.ports.outputs);
    });

    it("waits only when it is ask or handoff", () => {
      expect(definition.waits).toBe(WAITING_TYPES.includes(type));
      expect(catalog.get(type)?.waits).toBe(definition.waits);
    });
  },
);

describe("the built-in set", () => {
  it("registers every element of builtinNodes under a unique type name", () => {
    const types = definitions.map((definition) => definition.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(builtinNodes.map((definition) => definition.type));
    expect(catalog.list().map((info) => info.type)).toEqual(types);
  });

  it("covers every type of NODE-SPEC.md", () => {
    expect(
      registry
        .list()
        .map((definition) => definition.type)
        .sort(),
    ).toEqual(
      [
        "agent",
        "ask",
        "condition",
        "end",
        "handoff",
        "reply",
        "router",
        "set",
        "start",
        "subflow",
        "tool.http",
        "tool.kb_search",
        "tool.lead_capture",
        "tool.order_lookup",
        "tool.order_update",
        "tool.ticket_create",
      ].sort(),
    );
  });

  it("refuses a definition whose migration chain has a gap (FD152)", () => {
    const gapped = defineNode({
      type: "acme.gapped",
      version: 3,
      meta: {
        title: "Gapped",
        category: "tools",
        icon: "bug",
        description: "Has a gap.",
        docs: "Has a gap.",
      },
      config: Type.Object({}, { additionalProperties: false }),
      ports: { inputs: ["in"], outputs: ["out"] },
      waits: false,
      migrations: { 1: (config) => config },
      examples: [{}],
    });
    const attempt = () => createRegistry().register(gapped);
    expect(attempt).toThrow(NodeRegistryError);
    expect(attempt).toThrow(expect.objectContaining({ code: "FD152" }));
  });
});
