import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { map, stringEnum, template } from "../fields";

// RFC 9110 token characters: anything else in a header name is malformed or an injection attempt.
const HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

export const toolHttpNode = markBuiltin(
  defineNode({
    type: "tool.http",
    version: 1,
    meta: {
      title: "HTTP request",
      category: "tools",
      icon: "globe",
      description: "Calls an external HTTP API and returns its status, headers and body.",
      docs: [
        "A **HTTP request** node calls `url` with `method`, `headers`, `query` and `body`, each of which may use " +
          "templates. The output is `{ status, headers, body }`; with `response_type: json` the body is parsed. " +
          "A status of 400 or above, a timeout or an oversized response takes the `error` port after retries.",
        "For safety Flowdeck resolves the target address before connecting and again on every redirect: " +
          "private, loopback, link-local and cloud metadata addresses are refused unless your workspace " +
          "allow-lists them. Agents can call this node as a tool when it is listed in their `tools`.",
        "To call your own systems with a token, store it under Settings → Credentials and name it in `auth` " +
          "(`auth: { credential: order_api }` sends `Authorization: Bearer <token>`): the token is never part " +
          "of the YAML, the run's trace or a template.",
      ].join("\n\n"),
      tags: ["api", "webhook", "rest", "integration"],
    },
    config: Type.Object(
      {
        method: Type.Optional(
          stringEnum(["GET", "POST", "PUT", "PATCH", "DELETE"], {
            default: "GET",
            title: "Method",
            description: "HTTP method of the request.",
          }),
        ),
        url: template({
          maxLength: 8000,
          title: "URL",
          description: "Address to call, http or https; may include template values.",
          nonBlank: true,
        }),
        headers: Type.Optional(
          map(
            template({
              maxLength: 8000,
              title: "Header value",
              description: "Template rendered into this header.",
            }),
            {
              keyPattern: HEADER_NAME_PATTERN,
              maxProperties: 50,
              title: "Headers",
              description: "Request headers by name, e.g. Authorization.",
            },
          ),
        ),
        query: Type.Optional(
          map(
            template({
              maxLength: 8000,
              title: "Query value",
              description: "Template rendered into this parameter.",
            }),
            {
              maxProperties: 100,
              title: "Query parameters",
              description: "Added to the URL's query string, each value URL-encoded.",
            },
          ),
        ),
        body: Type.Optional(
          template({ title: "Body", description: "Request body, usually JSON; ignored for GET and DELETE." }),
        ),
        response_type: Type.Optional(
          stringEnum(["json", "text"], {
            default: "json",
            title: "Response type",
            description: "Parse the response body as JSON, or keep it as text.",
          }),
        ),
        timeout_ms: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 300000,
            default: 10000,
            title: "Timeout (ms)",
            description: "Give up when the server has not answered within this many milliseconds.",
          }),
        ),
        max_response_bytes: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 10485760,
            default: 1000000,
            title: "Max response size (bytes)",
            description: "Fail instead of reading a response body larger than this.",
          }),
        ),
        follow_redirects: Type.Optional(
          Type.Boolean({
            default: true,
            title: "Follow redirects",
            description: "Follow 3xx redirects; each target address is checked again.",
          }),
        ),
        max_redirects: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 10,
            default: 5,
            title: "Max redirects",
            description: "Most redirects to follow before failing.",
          }),
        ),
        auth: Type.Optional(
          Type.Object(
            {
              credential: Type.String({
                pattern: "^[a-z][a-z0-9_]{0,63}$",
                title: "Credential",
                description:
                  "Name of a credential stored in the workspace's settings (never its value: that stays out of the YAML).",
              }),
              header: Type.Optional(
                Type.String({
                  pattern: HEADER_NAME_PATTERN,
                  maxLength: 128,
                  default: "Authorization",
                  title: "Header",
                  description: "The request header that carries the credential.",
                }),
              ),
              prefix: Type.Optional(
                Type.String({
                  maxLength: 32,
                  default: "Bearer ",
                  title: "Prefix",
                  description:
                    'Written before the value, e.g. "Bearer " or "Token "; empty for the bare value.',
                }),
              ),
            },
            {
              additionalProperties: false,
              title: "Authentication",
              description: "Sends a stored credential in a header, so no secret is written into the flow.",
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [
      {
        method: "GET",
        url: "https://api.shipping.example.com/v1/tracking/{{ nodes.find_order.output.order.tracking_number }}",
        headers: { Accept: "application/json" },
        auth: { credential: "shipping_api" },
        timeout_ms: 5000,
      },
      {
        method: "POST",
        url: "https://hooks.example.com/support/csat",
        headers: { "Content-Type": "application/json" },
        body: '{ "conversation": "{{ conversation.id }}", "score": {{ vars.csat_score }} }',
        response_type: "text",
      },
    ],
  }),
);
