import { createBuiltinRegistry } from "@flowdeck/node-library";
import { createWorkflowValidator } from "@flowdeck/schemas";

const registry = createBuiltinRegistry();
export const catalog = registry.catalog();
/** One compiled validator for every test in a file: compiling the schema is the slow part. */
export const validator = createWorkflowValidator(catalog);

export const COMMENTED_FLOW = `# Greets and ends. A comment the canvas must keep.
name: greet
nodes:
  - name: start   # where it begins
    type: start
  # the only reply
  - name: hello
    type: reply
    config:
      text: "Hi {{ input.message }}"
edges:
  - { from: start, to: hello }
layout:
  start: { x: 0, y: 0 }
  hello: { x: 260, y: 0 }   # placed by hand
`;
