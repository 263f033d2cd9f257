import type { ExecutionContext } from "../context";

/** The agent's schema default, used when `auto` finds no router choice or a template renders empty. */
export const DEFAULT_AGENT_MODEL = "gpt-4o-mini";
/** The `model` value that defers to the router (issue 16): the tier it chose for this message. */
export const AUTO_MODEL = "auto";

export interface AgentModel {
  readonly model: string;
  /** `config`: written (or rendered) in the node; `router`: `auto` took a router's choice; `default`: neither. */
  readonly source: "config" | "router" | "default";
}

/**
 * Which model an agent step calls. A plain name is used as written; a template is rendered against the run
 * (so `{{ nodes.route.output.model }}` follows the router) and its text is data, never rendered again; `auto`
 * takes the router's choice. An empty result falls back to the default instead of sending `model: ""`, which
 * every provider refuses.
 */
export async function resolveAgentModel(
  ctx: Pick<ExecutionContext, "render" | "scope">,
  configured: string | undefined,
): Promise<AgentModel> {
  const written = (configured ?? DEFAULT_AGENT_MODEL).trim();
  const rendered = written.includes("{") ? (await ctx.render(written)).trim() : written;
  if (rendered.toLowerCase() !== AUTO_MODEL) {
    return rendered
      ? { model: rendered, source: "config" }
      : { model: DEFAULT_AGENT_MODEL, source: "default" };
  }
  const routed = routerChoice(ctx.scope.nodes);
  return routed ? { model: routed, source: "router" } : { model: DEFAULT_AGENT_MODEL, source: "default" };
}

/**
 * The model of the latest router output in the flow's scope. Executors do not see node types, so a router is
 * recognised by its output's shape (`{ route, confidence, tier: "local" | "embeddings" | "llm", model }`); "latest" is the
 * scope's order, i.e. the order in which the nodes first ran (a router that runs again in a loop keeps its
 * place). Only the current flow's nodes are in scope: an agent in a subflow does not see its parent's router.
 */
function routerChoice(nodes: ExecutionContext["scope"]["nodes"]): string | undefined {
  let found: string | undefined;
  for (const entry of Object.values(nodes)) {
    const output = entry.output;
    if (!output || typeof output !== "object") continue;
    const o = output as Record<string, unknown>;
    const isRouter =
      typeof o.route === "string" &&
      typeof o.confidence === "number" &&
      (o.tier === "local" || o.tier === "embeddings" || o.tier === "llm");
    if (isRouter && typeof o.model === "string" && o.model.trim()) found = o.model.trim();
  }
  return found;
}
