/**
 * Every problem the language reports has a stable code (FD1xx), a default severity and a one-line hint on how
 * to fix it (the shape of xyflow's error constants). Codes never change meaning; retired codes stay reserved.
 * Ranges: FD100–FD139 problems in a document (here), FD140–FD149 refused edits (`edit-error.ts`), FD150–FD159
 * node registry errors (`@flowdeck/node-library`).
 */
export type Severity = "error" | "warning";

interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
  readonly hint: string;
}

export const PROBLEM_CODES = {
  FD100: {
    severity: "error",
    title: "YAML syntax error",
    hint: "Check indentation, colons and quotes around the spot shown.",
  },
  FD101: {
    severity: "error",
    title: "File too large",
    hint: "Split the flow into subflows; a workflow file may hold about 2 MB.",
  },
  FD102: {
    severity: "error",
    title: "Too many aliases",
    hint: "Write the values out instead of repeating YAML aliases (*name).",
  },
  FD103: {
    severity: "error",
    title: "Nested too deeply",
    hint: "Flatten the structure; workflows never need this much nesting.",
  },
  FD104: {
    severity: "error",
    title: "Forbidden key",
    hint: "Rename the key; __proto__, constructor and prototype are reserved.",
  },
  FD105: {
    severity: "error",
    title: "Not a workflow",
    hint: "A workflow file is a mapping with at least name and nodes.",
  },
  FD106: {
    severity: "error",
    title: "Duplicate key",
    hint: "Remove one of the two keys with the same name.",
  },
  FD107: { severity: "warning", title: "YAML warning", hint: "Remove the unusual YAML construct shown." },
  FD108: {
    severity: "error",
    title: "Key is not text",
    hint: "Use a plain name as the key; lists and mappings cannot be keys.",
  },
  FD110: { severity: "error", title: "Wrong type", hint: "Give a value of the kind the field expects." },
  FD111: { severity: "error", title: "Missing field", hint: "Add the required field." },
  FD112: { severity: "error", title: "Unknown field", hint: "Remove the field or fix its spelling." },
  FD113: { severity: "error", title: "Invalid value", hint: "Change the value to one the field accepts." },
  FD114: {
    severity: "error",
    title: "Unknown node type",
    hint: "Pick a node type from the palette or install the package that provides it.",
  },
  FD115: {
    severity: "error",
    title: "Unsupported node version",
    hint: "Update Flowdeck or the node package, or lower type_version.",
  },
  FD116: {
    severity: "error",
    title: "Config could not be upgraded",
    hint: "Rewrite the node's config for the current version of its type.",
  },
  FD120: {
    severity: "error",
    title: "No start node",
    hint: "Add a node of type start; every run begins there.",
  },
  FD121: {
    severity: "error",
    title: "More than one start node",
    hint: "Keep one start node and connect the others' successors to it.",
  },
  FD122: {
    severity: "error",
    title: "Duplicate node name",
    hint: "Rename one of the nodes; names must be unique.",
  },
  FD123: {
    severity: "error",
    title: "Edge to an unknown node",
    hint: "Point the edge at an existing node or remove it.",
  },
  FD124: {
    severity: "warning",
    title: "Unreachable node",
    hint: "Connect the node to the flow or delete it.",
  },
  FD125: {
    severity: "error",
    title: "Endless loop",
    hint: "Put an ask node in the loop, or a condition on a counter that a set node increases.",
  },
  FD126: { severity: "error", title: "Unknown port", hint: "Use one of the ports the node offers." },
  FD127: {
    severity: "warning",
    title: "Layout of an unknown node",
    hint: "Remove the layout entry or rename it to an existing node.",
  },
  FD128: {
    severity: "warning",
    title: "Edge never taken",
    hint: "Move the edge without a condition (the catch-all) after the branches it should catch, or give it a condition.",
  },
  FD130: {
    severity: "error",
    title: "Condition does not compile",
    hint: "Fix the CEL expression, e.g. output.found == true.",
  },
  FD131: {
    severity: "error",
    title: "Template does not compile",
    hint: "Fix the Liquid template, e.g. {{ input.message }}.",
  },
  FD132: {
    severity: "error",
    title: "Reference to an unknown node",
    hint: "Refer to an existing node by its name.",
  },
  FD133: {
    severity: "warning",
    title: "Unknown template variable",
    hint: "Templates see input, vars, entities, nodes, conversation and tenant.",
  },
  FD134: {
    severity: "warning",
    title: "Single-brace placeholder",
    hint: "Write {{ input.message }} instead of {message}.",
  },
  FD135: {
    severity: "warning",
    title: "Legacy next_node",
    hint: "Draw an edge instead of config.next_node.",
  },
  FD136: {
    severity: "error",
    title: "Template reads a file",
    hint: "Write the text into the template; include, render and layout cannot read files.",
  },
  FD137: {
    severity: "error",
    title: "Pattern not supported",
    hint: "matches() uses RE2: rewrite the pattern without backreferences (\\1) or lookaround ((?=…), (?<!…)).",
  },
  FD138: {
    severity: "warning",
    title: "Work not bounded",
    hint: "Loop over a short literal range, avoid loops inside loops, and write matches() patterns out.",
  },
  FD139: {
    severity: "error",
    title: "Unknown entity",
    hint: "Declare the entity under the flow's entities (e.g. order_id: { type: pattern, pattern: 'AO-\\d{5}' }) or pick a declared one.",
  },
} as const satisfies Record<string, CodeInfo>;

export type ProblemCode = keyof typeof PROBLEM_CODES;
