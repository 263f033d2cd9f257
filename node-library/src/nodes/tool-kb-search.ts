import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { template } from "../fields";

export const toolKbSearchNode = markBuiltin(
  defineNode({
    type: "tool.kb_search",
    version: 1,
    meta: {
      title: "Search knowledge base",
      category: "tools",
      icon: "book-open",
      description: "Finds the knowledge-base articles that best match a question.",
      docs: [
        "A **Search knowledge base** node looks up `query` in your workspace's knowledge base and returns up to " +
          "`limit` articles as `{ results: [{ id, title, body, score }], found }`, best match first.",
        "Pass the results to an **Agent** prompt so answers stay grounded in your own articles, and branch on " +
          "`output.found` to hand off when nothing relevant exists. Raise `min_score` to drop weak matches.",
      ].join("\n\n"),
      tags: ["faq", "rag", "search", "articles"],
    },
    config: Type.Object(
      {
        query: Type.Optional(
          template({
            default: "{{ input.message }}",
            title: "Query",
            description: "What to search for; the message that started the run unless you change it.",
          }),
        ),
        limit: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 20,
            default: 3,
            title: "Limit",
            description: "Most articles to return.",
          }),
        ),
        category: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 64,
            title: "Category",
            description: "Only search articles of this knowledge-base category.",
          }),
        ),
        min_score: Type.Optional(
          Type.Number({
            minimum: 0,
            maximum: 1,
            default: 0,
            title: "Minimum score",
            description: "Drop matches scoring below this relevance, from 0 to 1.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [{ query: "{{ input.message }}", limit: 3, category: "shipping", min_score: 0.35 }, {}],
  }),
);
