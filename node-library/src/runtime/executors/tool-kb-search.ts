import type { toolKbSearchNode } from "../../nodes/tool-kb-search";
import type { NodeExecutor } from "../executor";

/**
 * Searches the tenant's knowledge base. A read: nothing changes outside the run, so the step needs no commit
 * of its own. An empty query (the customer sent only an emoji) finds nothing instead of failing the node.
 */
export const toolKbSearchExecutor: NodeExecutor<typeof toolKbSearchNode> = async (ctx, config) => {
  const query = (await ctx.render(config.query ?? "{{ input.message }}")).trim();
  const hits =
    query === ""
      ? []
      : await ctx.services.searchKnowledgeBase({
          query,
          limit: config.limit ?? 3,
          minScore: config.min_score ?? 0,
          ...(config.category ? { category: config.category } : {}),
        });
  const results = hits.map(({ id, title, body, score }) => ({ id, title, body, score }));
  return {
    output: { results, found: results.length > 0 },
    port: "out",
    details: { query, hits: results.length, top_score: results[0]?.score ?? null },
  };
};
