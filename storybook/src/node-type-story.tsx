import { Markdown } from "@storybook/addon-docs/blocks";
import { ensure, ThemeProvider, themes } from "storybook/theming";
import { WorkflowCanvas } from "../../editor/src/builder/workflow-canvas";
import { Inspector } from "../../editor/src/builder/inspector";
import { builtinBuilderRegistry } from "../../editor/src/builder/builder-registry";
import { BuilderHarness } from "./fixtures/builder-harness";

/** The node's name in the story's flow: its type in snake_case (`tool.order_lookup` → `tool_order_lookup`). */
const nodeName = (type: string) => type.replace(/[^a-z0-9]+/g, "_");

/**
 * A flow of the start node and one node of `type`, configured with the definition's first example: JSON is
 * YAML's flow style, so the example goes in as it is.
 */
export function exampleFlow(type: string, example: unknown): string {
  const lines = ["name: node_type_story", "nodes:", "  - { name: start, type: start }"];
  if (type !== "start") {
    lines.push(`  - name: ${nodeName(type)}`, `    type: ${type}`, `    config: ${JSON.stringify(example)}`);
    lines.push("edges:", `  - { from: start, to: ${nodeName(type)} }`);
  }
  lines.push("layout:", "  start: { x: 0, y: 40 }");
  if (type !== "start") lines.push(`  ${nodeName(type)}: { x: 240, y: 40 }`);
  return `${lines.join("\n")}\n`;
}

/**
 * One node type as the builder shows it, from its definition alone: its card on the canvas, its inspector form
 * filled with the definition's first example, and its documentation. The node-type stories are generated
 * (scripts/generate-node-stories.ts), one per registered type, so a new type needs no story of its own.
 */
export function NodeTypeStory({ type }: { type: string }) {
  const definition = builtinBuilderRegistry().registry.get(type);
  if (!definition) return <p role="alert">No node type {type} is registered.</p>;
  const example = definition.examples[0] ?? {};
  return (
    <div style={{ padding: 16, display: "grid", gap: 16 }}>
      <header>
        <h1 style={{ margin: 0 }}>
          {definition.meta.title} <code>{definition.type}</code>
        </h1>
        <p>{definition.meta.description}</p>
      </header>
      <BuilderHarness yaml={exampleFlow(type, example)} selected={[nodeName(type)]} heightPx={480}>
        {(actions) => (
          <>
            <main
              className="fdb-builder__center"
              style={{ flex: 1, minWidth: 0 }}
              aria-label="Workflow editor"
            >
              <WorkflowCanvas actions={actions} />
            </main>
            <div style={{ width: 420, flex: "none", overflow: "auto" }}>
              <Inspector actions={actions} />
            </div>
          </>
        )}
      </BuilderHarness>
      <section aria-label="Documentation">
        {/* Storybook's own Markdown block, which outside a docs page needs its theme. */}
        <ThemeProvider theme={ensure(themes.light)}>
          <Markdown>{definition.meta.docs}</Markdown>
        </ThemeProvider>
        <h2>Examples</h2>
        {definition.examples.map((config, index) => (
          <pre key={index}>{JSON.stringify(config, null, 2)}</pre>
        ))}
      </section>
    </div>
  );
}
