/**
 * A large but realistic flow: a start, then repeating blocks of the node kinds a support flow uses (router-like
 * conditions, agents with templates that read earlier nodes, knowledge-base searches, variables, replies),
 * every node reachable, every edge in flow style, a layout entry per node, comments here and there.
 */
export function generateWorkflow(nodeCount: number): string {
  const lines = [
    "# Generated for the language benchmark.",
    "name: generated_flow",
    'version: "1.0.0"',
    "priority: high",
    "nodes:",
    "  - name: start",
    "    type: start",
  ];
  const edges: string[] = [];
  const layout: string[] = ["  start: { x: 0, y: 0 }"];
  let previous = "start";
  for (let i = 1; i < nodeCount - 1; i += 1) {
    const name = `step_${i}`;
    switch (i % 5) {
      case 0:
        lines.push(
          `  - name: ${name}`,
          "    type: agent",
          "    config:",
          "      model: gpt-4o-mini",
          `      prompt_template: "Reply to {{ input.message }} using {{ nodes.${previous}.output | json }}"`,
        );
        break;
      case 1:
        lines.push(
          `  - name: ${name} # search first`,
          "    type: tool.kb_search",
          "    config:",
          '      query: "{{ input.message }}"',
          "      limit: 3",
        );
        break;
      case 2:
        lines.push(
          `  - name: ${name}`,
          "    type: condition",
          "    config:",
          `      expression: "size(input.message) > ${i} || vars.count < 3"`,
        );
        break;
      case 3:
        lines.push(
          `  - name: ${name}`,
          "    type: set",
          "    config:",
          "      values:",
          `        topic: "{{ nodes.${previous}.output.result }}"`,
        );
        break;
      default:
        lines.push(
          `  - name: ${name}`,
          "    type: reply",
          "    config:",
          `      text: "Step ${i}: {{ vars.topic | default: 'none' }}"`,
        );
    }
    const port = i % 5 === 3 ? ", port: then" : "";
    edges.push(
      `  - { from: ${previous}, to: ${name}${port}${i % 7 === 0 ? ", condition: \"input.message != ''\"" : ""} }`,
    );
    layout.push(`  ${name}: { x: ${(i % 20) * 260}, y: ${Math.floor(i / 20) * 120} }`);
    previous = name;
  }
  lines.push("  - name: done", "    type: end", "    config:", '      reply: "Thanks!"');
  edges.push(`  - { from: ${previous}, to: done${(nodeCount - 2) % 5 === 2 ? ", port: then" : ""} }`);
  layout.push("  done: { x: 0, y: 9999 }");
  return [...lines, "edges:", ...edges, "layout:", ...layout, ""].join("\n");
}
