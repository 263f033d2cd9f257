import { EXPRESSION_MEDIA_TYPE, type JsonSchema, type NodeCatalog } from "./catalog";

export const WORKFLOW_SCHEMA_ID = "https://flowdeck.dev/schemas/workflow.schema.json";
export const IDENTIFIER_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";
export const WORKFLOW_NAME_PATTERN = "^[a-z][a-z0-9_]*$";
/**
 * Text a node needs in order to do anything (a reply's text, a question, a URL): `minLength` alone let `text: ""`
 * through and sent an empty bubble, and "   " is no better. Reported as FD111, like the field being absent.
 */
export const NON_BLANK_PATTERN = "\\S";

const identifier = (title: string, description: string): JsonSchema => ({
  type: "string",
  pattern: IDENTIFIER_PATTERN,
  maxLength: 64,
  title,
  description,
});

/** `entities`: what the flow looks for in each customer message (order numbers, emails, phones, amounts). */
function entitiesSchema(): JsonSchema {
  return {
    type: "object",
    title: "Entities",
    description:
      "Values found in every customer message, read as entities.<name>: order numbers (type pattern), emails, phone numbers and amounts.",
    propertyNames: { pattern: IDENTIFIER_PATTERN, maxLength: 64 },
    maxProperties: 50,
    additionalProperties: {
      type: "object",
      title: "Entity",
      properties: {
        type: {
          type: "string",
          enum: ["pattern", "email", "phone", "amount"],
          title: "Kind",
          description:
            "pattern: text matching your pattern (e.g. an order number); email, phone, amount: built in.",
        },
        pattern: {
          type: "string",
          minLength: 1,
          maxLength: 1000,
          title: "Pattern",
          description: "RE2 regular expression for a pattern entity, e.g. (?i)\\bAO-?\\d{5}\\b.",
        },
        case: {
          type: "string",
          enum: ["upper", "lower"],
          title: "Case",
          description: "Write found values in upper or lower case (ao-10489 becomes AO-10489).",
        },
        description: {
          type: "string",
          maxLength: 500,
          title: "Description",
          description: "Notes for readers.",
        },
      },
      required: ["type"],
      additionalProperties: false,
      if: { properties: { type: { const: "pattern" } } },
      then: { properties: { type: true, pattern: true }, required: ["type", "pattern"] },
    },
  };
}

/** Fields every node has, whatever its type. Kept apart so each per-type branch can reuse them. */
function commonNodeProperties(): Record<string, JsonSchema> {
  return {
    name: identifier("Name", "Unique name of the node; other nodes refer to it as nodes.<name>."),
    type_version: {
      type: "integer",
      minimum: 1,
      title: "Type version",
      description: "Version of the node type this config was written for. Absent means 1.",
    },
    description: { type: "string", maxLength: 2000, title: "Description", description: "Notes for readers." },
    retry: {
      type: "object",
      title: "Retry",
      description: "How often to try the node again when it fails, before taking its error edge.",
      properties: {
        attempts: {
          type: "integer",
          minimum: 1,
          maximum: 10,
          default: 1,
          title: "Attempts",
          description: "Total tries, including the first.",
        },
        backoff_ms: {
          type: "integer",
          minimum: 0,
          maximum: 600000,
          default: 500,
          title: "Backoff (ms)",
          description: "Wait before the second try, in milliseconds.",
        },
        max_backoff_ms: {
          type: "integer",
          minimum: 0,
          maximum: 3600000,
          title: "Longest backoff (ms)",
          description: "Upper bound of the wait between tries, in milliseconds.",
        },
        backoff: {
          type: "string",
          enum: ["exponential", "fixed"],
          default: "exponential",
          title: "Backoff",
          description: "Double the wait after each try, or keep it fixed.",
        },
      },
      required: ["attempts"],
      additionalProperties: false,
    },
    timeout_ms: {
      type: "integer",
      minimum: 1,
      maximum: 3600000,
      title: "Timeout (ms)",
      description: "Fail the node when one try takes longer than this, in milliseconds.",
    },
  };
}

const nodeDefName = (type: string) => `node.${type}`;

/**
 * The published JSON Schema (2020-12) of a workflow file: the document envelope plus, for each node type in
 * the catalog, that type's config schema under a `oneOf` branch selected by `type` (Ajv's `discriminator`
 * picks the branch directly, so errors name the right config instead of every branch).
 */
export function composeWorkflowSchema(catalog: NodeCatalog): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const types = catalog.list();
  for (const info of types) {
    defs[nodeDefName(info.type)] = {
      type: "object",
      title: info.title,
      description: info.description,
      properties: {
        ...commonNodeProperties(),
        type: { type: "string", const: info.type, title: "Type", description: info.description },
        config: info.configSchema,
      },
      // A type whose config has required fields needs the config itself, so that "missing" is reported.
      required: hasRequired(info.configSchema) ? ["name", "type", "config"] : ["name", "type"],
      additionalProperties: false,
    };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: WORKFLOW_SCHEMA_ID,
    title: "Flowdeck workflow",
    description: "A customer-support flow: nodes, the edges between them and their canvas layout.",
    type: "object",
    properties: {
      name: {
        type: "string",
        pattern: WORKFLOW_NAME_PATTERN,
        maxLength: 64,
        title: "Name",
        description: "Unique per tenant, in snake_case.",
      },
      version: {
        type: "string",
        pattern: "^\\d+\\.\\d+\\.\\d+$",
        title: "Version",
        description: "The author's version label, like 1.0.0.",
      },
      description: {
        type: "string",
        maxLength: 2000,
        title: "Description",
        description: "What the flow does.",
      },
      category: {
        type: "string",
        maxLength: 64,
        title: "Category",
        description: "Groups flows in the list.",
      },
      priority: {
        type: "string",
        enum: ["high", "medium", "low"],
        default: "medium",
        title: "Priority",
        description: "Which flows the runtime serves first when busy.",
      },
      trigger: {
        type: "object",
        title: "Trigger",
        description: "What starts a run.",
        properties: {
          type: {
            type: "string",
            enum: ["chat", "webhook", "manual"],
            default: "chat",
            title: "Trigger type",
            description: "A chat message, a signed webhook call, or a person pressing Run.",
          },
        },
        required: ["type"],
        additionalProperties: false,
      },
      vars: {
        type: "object",
        title: "Variables",
        description: "Initial values of vars.* for every run.",
        propertyNames: { pattern: IDENTIFIER_PATTERN },
      },
      entities: entitiesSchema(),
      settings: {
        type: "object",
        title: "Run settings",
        description: "How runs of this flow are kept.",
        properties: {
          trace: {
            type: "string",
            enum: ["all", "errors", "none"],
            default: "all",
            title: "Keep traces of successful runs",
            description:
              "all: every run keeps its steps and events. errors: a successful run that changed nothing outside the flow keeps only its summary (status, output, the sender's message id against replays), not its steps. none: as errors, without its input and output either, and its turns leave the conversation's history. Failed runs and runs that called a tool or a model always keep their whole trace.",
          },
        },
        additionalProperties: false,
      },
      nodes: {
        type: "array",
        title: "Nodes",
        description: "The steps of the flow.",
        minItems: 1,
        maxItems: 5000,
        items: {
          type: "object",
          properties: {
            name: identifier("Name", "Unique name of the node."),
            type: { type: "string", title: "Type", description: "What the node does." },
          },
          required: ["name", "type"],
          discriminator: { propertyName: "type" },
          oneOf: types.map((info) => ({ $ref: `#/$defs/${nodeDefName(info.type)}` })),
        },
      },
      edges: {
        type: "array",
        title: "Edges",
        description: "Connections between nodes, tried in this order.",
        maxItems: 20000,
        items: {
          type: "object",
          properties: {
            from: identifier("From", "The node the edge leaves."),
            to: identifier("To", "The node the edge enters."),
            port: identifier("Port", "Output port of the source node: out (default), error, then, else …"),
            condition: {
              anyOf: [
                { type: "string", contentMediaType: EXPRESSION_MEDIA_TYPE, maxLength: 4000 },
                { type: "null" },
              ],
              title: "Condition",
              description:
                "A CEL expression; the edge is taken when it is true. Sees output, input, vars, nodes.",
            },
            label: { type: "string", maxLength: 200, title: "Label", description: "Shown on the canvas." },
          },
          required: ["from", "to"],
          additionalProperties: false,
        },
      },
      layout: {
        type: "object",
        title: "Layout",
        description: "Canvas positions by node name; kept apart from the logic.",
        propertyNames: { pattern: IDENTIFIER_PATTERN },
        additionalProperties: {
          type: "object",
          properties: {
            x: { type: "number", title: "X", description: "Horizontal position." },
            y: { type: "number", title: "Y", description: "Vertical position." },
          },
          required: ["x", "y"],
          additionalProperties: false,
        },
      },
    },
    required: ["name", "nodes"],
    additionalProperties: false,
    $defs: defs,
  };
}

function hasRequired(schema: JsonSchema): boolean {
  return (Array.isArray(schema.required) && schema.required.length > 0) || Array.isArray(schema.anyOf);
}
