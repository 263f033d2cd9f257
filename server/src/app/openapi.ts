import { API_ERRORS } from "../kit/api-error";
import type { RouteDefinition, RouteTable } from "../kit/route-table";

/**
 * The OpenAPI 3.1 document, generated from the route table: the same TypeBox schemas that validate request
 * bodies (TypeBox emits plain JSON Schema, which OpenAPI 3.1 accepts as is), so the document cannot drift.
 */
export function buildOpenApiDocument(
  table: RouteTable,
  info: { readonly title: string; readonly version: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of table) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info,
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message", "hint"],
              properties: {
                code: { type: "string", enum: Object.keys(API_ERRORS) },
                message: { type: "string" },
                hint: { type: "string" },
              },
            },
          },
        },
      },
    },
  };
}

const ERROR_RESPONSE = {
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

function operation(route: RouteDefinition): Record<string, unknown> {
  const responses: Record<string, unknown> = { [String(route.status)]: { description: "Success" } };
  if (route.body) responses["400"] = { description: "Invalid body (FD300, FD301)", ...ERROR_RESPONSE };
  if (route.auth === "user")
    responses["401"] = { description: "No valid access token (FD310)", ...ERROR_RESPONSE };
  if (route.role)
    responses["403"] = { description: `Needs ${route.role} or higher (FD313)`, ...ERROR_RESPONSE };
  if (route.resource) responses["404"] = { description: "Not in this tenant (FD322)", ...ERROR_RESPONSE };
  const parameters = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  return {
    operationId: `${route.method}${route.path.replace(/[/:-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    ...(route.auth === "user" ? { security: [{ bearer: [] }] } : { security: [] }),
    ...(route.role ? { "x-flowdeck-role": route.role } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            // JSON round trip: a plain copy without TypeBox's non-JSON symbol keys.
            content: {
              "application/json": {
                schema: JSON.parse(JSON.stringify(route.body)) as unknown,
                example: route.example,
              },
            },
          },
        }
      : {}),
    responses,
  };
}
