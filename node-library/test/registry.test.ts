import Type from "typebox";
import Value from "typebox/value";
import { describe, expect, it } from "vitest";
import {
  agentNode,
  builtinNodes,
  conditionNode,
  createBuiltinRegistry,
  createRegistry,
  defineNode,
  NODE_REGISTRY_CODES,
  NodeRegistryError,
  type BuiltinNode,
  type NodeConfig,
  type NodeDefinition,
  type NodeOutputPort,
} from "../src/index";
import { fakeNode } from "./support/fake-node";

function registryError(attempt: () => unknown): NodeRegistryError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof NodeRegistryError) return error;
    throw error;
  }
  throw new Error("expected a NodeRegistryError, but nothing was thrown");
}

/** version 3 of a node whose `city` became `location` (v2) and which gained `units` (v3). */
const forecastV3 = defineNode({
  type: "acme.forecast",
  version: 3,
  meta: { title: "Forecast", category: "tools", icon: "cloud", description: "Forecast.", docs: "Forecast." },
  config: Type.Object(
    {
      location: Type.String({ title: "Location", description: "Where." }),
      units: Type.String({ title: "Units", description: "metric or imperial." }),
    },
    { additionalProperties: false },
  ),
  ports: { inputs: ["in"], outputs: ["out"] },
  waits: false,
  migrations: {
    1: ({ city, ...rest }) => ({ ...rest, location: city }),
    2: (config) => ({ units: "metric", ...config }),
  },
  examples: [{ location: "Lisbon", units: "metric" }],
});

describe("registering definitions", () => {
  it("refuses a second definition of the same type with FD150 and keeps the first", () => {
    const registry = createRegistry([fakeNode()]);
    const error = registryError(() =>
      registry.register(fakeNode({ meta: { ...fakeNode().meta, title: "Other" } })),
    );
    expect(error.code).toBe("FD150");
    expect(error.nodeType).toBe("acme.echo");
    expect(registry.get("acme.echo")?.meta.title).toBe("Echo");
  });

  it("refuses built-ins registered twice with FD150", () => {
    expect(registryError(() => createRegistry([...builtinNodes, ...builtinNodes])).code).toBe("FD150");
  });

  it.each([
    ["an unqualified name", "weather"],
    ["upper case", "Acme.Weather"],
    ["three segments", "acme.weather.today"],
    ["a hyphen", "acme-corp.weather"],
    ["the reserved tool namespace", "tool.weather"],
    ["the reserved flowdeck namespace", "flowdeck.weather"],
    ["an empty name", ""],
    ["a name over 64 characters", `acme.${"w".repeat(60)}`],
  ])("refuses %s with FD151", (_label, type) => {
    const error = registryError(() => createRegistry().register(fakeNode({ type })));
    expect(error.code).toBe("FD151");
    expect(error.hint).toBe(NODE_REGISTRY_CODES.FD151.hint);
  });

  it("refuses an impostor of a built-in name even in an empty registry (FD151)", () => {
    const impostor = defineNode({ ...agentNode });
    expect(registryError(() => createRegistry().register(impostor)).code).toBe("FD151");
  });

  it("accepts vendor names with digits and underscores", () => {
    const registry = createRegistry().register(fakeNode({ type: "acme2.order_sync" }));
    expect(registry.has("acme2.order_sync")).toBe(true);
  });

  it.each([
    ["no examples", { examples: [] as never }],
    ["an example that does not validate", { examples: [{ text: 42 }] as never }],
    ["missing docs", { meta: { ...fakeNode().meta, docs: "" } }],
    ["an icon that is not a lucide name", { meta: { ...fakeNode().meta, icon: "Bot Icon" } }],
    ["a config that accepts unknown keys", { config: Type.Object({}) }],
    ["a config that is not an object", { config: Type.String() }],
    ["a version of 0", { version: 0 }],
    ["a duplicated output port", { ports: { inputs: ["in"], outputs: ["out", "out"] } }],
    ["a non-boolean waits", { waits: "yes" as never }],
    ["a non-boolean pure", { pure: 1 as never }],
  ])("refuses a definition with %s (FD153)", (_label, overrides: Partial<NodeDefinition>) => {
    expect(registryError(() => createRegistry().register(fakeNode(overrides))).code).toBe("FD153");
  });

  it.each([
    ["a gap in the chain", 3, { 1: (c: Record<string, unknown>) => c }],
    ["a migration beyond the current version", 1, { 1: (c: Record<string, unknown>) => c }],
    ["a migration that is not a function", 2, { 1: "rename" as never }],
  ])("refuses %s (FD152)", (_label, version, migrations) => {
    expect(registryError(() => createRegistry().register(fakeNode({ version, migrations }))).code).toBe(
      "FD152",
    );
  });

  it("declares pure exactly the built-ins that reach nothing outside the run", () => {
    // The engine executes pure steps of a run it has not stored yet: a tool, a model or a third-party node
    // marked pure by mistake could run its effect twice after a crash.
    const pure = createBuiltinRegistry()
      .list()
      .filter((definition) => definition.pure === true)
      .map((definition) => definition.type)
      .sort();
    expect(pure).toEqual(["ask", "condition", "end", "handoff", "reply", "set", "start"]);
    expect(createRegistry().register(fakeNode()).get("acme.echo")?.pure).toBeUndefined();
  });

  it("formats errors as code, message and one-line hint", () => {
    const error = registryError(() => createRegistry().register(fakeNode({ type: "weather" })));
    expect(error.name).toBe("NodeRegistryError");
    expect(error.message).toMatch(/^FD151: /);
    expect(error.hint).not.toContain("\n");
  });

  it("registers a package all or nothing", () => {
    const registry = createRegistry();
    const plugin = {
      nodes: [fakeNode({ type: "acme.one" }), fakeNode({ type: "acme.two", examples: [] as never })],
    };
    expect(registryError(() => registry.use(plugin)).code).toBe("FD153");
    expect(registry.list()).toEqual([]);
  });

  it("accepts a package's default export and refuses a package without nodes", () => {
    const registry = createRegistry().use({ default: { nodes: [fakeNode()] } });
    expect(registry.has("acme.echo")).toBe(true);
    expect(registryError(() => registry.use({ widgets: [] } as never)).code).toBe("FD153");
  });
});

describe("looking definitions up", () => {
  it("answers get, has and list in registration order", () => {
    const registry = createBuiltinRegistry().register(fakeNode());
    expect(registry.get("agent")).toBe(agentNode);
    expect(registry.get("acme.missing")).toBeUndefined();
    expect(registry.has("condition")).toBe(true);
    expect(registry.has("__proto__")).toBe(false);
    expect(registry.list().at(-1)?.type).toBe("acme.echo");
    expect(registry.list()).toHaveLength(builtinNodes.length + 1);
  });
});

describe("catalog()", () => {
  const registry = createBuiltinRegistry().register(forecastV3);
  const catalog = registry.catalog();

  it("describes each type in the @flowdeck/schemas contract shape", () => {
    const info = catalog.get("agent");
    expect(info).toEqual({
      type: "agent",
      version: 1,
      title: "Agent",
      description: agentNode.meta.description,
      category: "ai",
      configSchema: JSON.parse(JSON.stringify(agentNode.config)),
      outputs: ["out", "error"],
      waits: false,
    });
    expect(info && "migrate" in info).toBe(false);
    expect(catalog.list().map((entry) => entry.type)).toEqual(
      registry.list().map((definition) => definition.type),
    );
  });

  it("publishes config schemas as plain JSON detached from the definition", () => {
    const schema = catalog.get("condition")?.configSchema;
    expect(Object.getOwnPropertyNames(schema)).not.toContain("~kind");
    expect(schema).not.toBe(conditionNode.config);
  });

  it("is a snapshot: later registrations do not change it", () => {
    registry.register(fakeNode());
    expect(catalog.get("acme.echo")).toBeUndefined();
    expect(registry.catalog().get("acme.echo")?.version).toBe(1);
  });
});

describe("migrate", () => {
  const migrate = createRegistry([forecastV3]).catalog().get("acme.forecast")?.migrate;

  it("runs the chain from the written version to the current one", () => {
    expect(migrate?.({ city: "Porto" }, 1)).toEqual({ location: "Porto", units: "metric" });
    expect(migrate?.({ location: "Porto", units: "imperial" }, 2)).toEqual({
      location: "Porto",
      units: "imperial",
    });
    expect(migrate?.({ location: "Porto", units: "metric" }, 3)).toEqual({
      location: "Porto",
      units: "metric",
    });
  });

  it("leaves the caller's config untouched", () => {
    const written = { city: "Porto" };
    migrate?.(written, 1);
    expect(written).toEqual({ city: "Porto" });
  });

  it("passes values the schema must report back unchanged", () => {
    expect(migrate?.("Porto", 1)).toBe("Porto");
    expect(migrate?.({ city: "Porto" }, 0)).toEqual({ city: "Porto" });
  });

  it("refuses a config from a newer version (FD154)", () => {
    expect(registryError(() => migrate?.({}, 4)).code).toBe("FD154");
  });

  it("reports a migration that throws (FD155)", () => {
    const broken = fakeNode({
      version: 2,
      migrations: {
        1: () => {
          throw new TypeError("boom");
        },
      },
    });
    const error = registryError(() => createRegistry([broken]).catalog().get("acme.echo")?.migrate?.({}, 1));
    expect(error.code).toBe("FD155");
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe("attaching executors later", () => {
  // The shape `@flowdeck/node-library/runtime` will use: a table keyed by type whose config argument is
  // inferred from the definition. Written here without a single cast to keep the design honest.
  type Executor<D extends NodeDefinition> = (config: NodeConfig<D>) => {
    port: NodeOutputPort<D>;
    output: unknown;
  };
  type ExecutorTable<Defs extends NodeDefinition> = { [D in Defs as D["type"]]: Executor<D> };

  const executors: ExecutorTable<BuiltinNode<"condition"> | BuiltinNode<"agent">> = {
    condition: (config) => ({
      port: config.expression === "true" ? "then" : "else",
      output: { result: true },
    }),
    agent: (config) => ({
      port: "out",
      output: { text: config.prompt_template, model: config.model ?? "gpt-4o-mini" },
    }),
  };

  // The engine's one typed guard: TypeScript cannot narrow `unknown` to a config type that is still generic,
  // so the guard states once that Value.Check proves NodeConfig<D>; executors themselves never cast.
  function isConfigOf<D extends NodeDefinition>(definition: D, value: unknown): value is NodeConfig<D> {
    return Value.Check(definition.config, value);
  }

  function run<D extends NodeDefinition>(definition: D, execute: Executor<D>, raw: unknown) {
    return isConfigOf(definition, raw) ? execute(raw) : undefined;
  }

  it("dispatches validated config to a typed executor", () => {
    expect(run(conditionNode, executors.condition, { expression: "true" })).toEqual({
      port: "then",
      output: { result: true },
    });
    expect(run(agentNode, executors.agent, { prompt_template: "Hi" })).toEqual({
      port: "out",
      output: { text: "Hi", model: "gpt-4o-mini" },
    });
    expect(run(agentNode, executors.agent, { temperature: 1 })).toBeUndefined();
  });
});
