import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import { ALLOWED_KEYWORD } from "../kit/body-problem";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import {
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  slugOf,
  updateArticle,
} from "./kb-article-store";
import { booleanParam, PAGE_DEFAULT_LIMIT, pageParams, parseQuery, textParam } from "./query-params";
import { audit, inTenant, notFound, uniqueAs } from "./route-kit";

const Slug = Type.String({
  pattern: "^[a-z0-9][a-z0-9-]*$",
  maxLength: 100,
  [ALLOWED_KEYWORD]: "use lowercase letters, digits and hyphens, starting with a letter or digit",
});
const Title = Type.String({ minLength: 1, maxLength: 300, pattern: "\\S" });
const ArticleText = Type.String({ minLength: 1, maxLength: 100_000, pattern: "\\S" });
const Category = Type.String({ minLength: 1, maxLength: 100, pattern: "\\S" });

export const CreateArticleBody = Type.Object(
  {
    slug: Type.Optional(Slug),
    title: Title,
    body: ArticleText,
    category: Category,
    published: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const PatchArticleBody = Type.Object(
  {
    slug: Type.Optional(Slug),
    title: Type.Optional(Title),
    body: Type.Optional(ArticleText),
    category: Type.Optional(Category),
    published: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

const TAKEN = "Another article of this tenant has this slug.";

/**
 * Knowledge-base articles, which the kb_search tool answers from (published ones only). Viewers read,
 * editors write; unpublishing (`published: false`) hides an article from chat without deleting it.
 */
export function kbArticleRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/kb/articles",
      summary:
        "List articles, newest first (?category=, ?published=true|false, ?q= words, ?limit=, ?cursor=).",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const query = parseQuery(req, {
          ...pageParams,
          category: textParam(100),
          published: booleanParam,
          q: textParam(200),
        });
        const filter = { ...query, limit: query.limit ?? PAGE_DEFAULT_LIMIT };
        res.json(await inTenant(db, res, (sql) => listArticles(sql, filter)));
      },
    },
    {
      method: "post",
      path: "/kb/articles",
      summary:
        "Write an article; the slug (unique per tenant, 409 FD342) defaults to one made from the title.",
      auth: "user",
      role: "editor",
      body: CreateArticleBody,
      example: {
        title: "Gift wrapping",
        body: "Add gift wrapping at checkout for $4.95; the receipt in the parcel shows no prices.",
        category: "orders",
      },
      status: 201,
      handler: async (req, res) => {
        const body = req.body as Static<typeof CreateArticleBody>;
        const { tenantId } = requireAuth(res);
        const slug = body.slug ?? slugOf(body.title);
        if (slug === "")
          throw new ApiError(
            "FD300",
            "Slug is required: the title has no letters or digits to make one from (a-z, 0-9 and -).",
            { details: { field: "/slug", keyword: "required", params: { missingProperty: "slug" } } },
          );
        const input = {
          slug,
          title: body.title.trim(),
          body: body.body.trim(),
          category: body.category.trim(),
          published: body.published ?? true,
        };
        const item = await uniqueAs(TAKEN, () =>
          inTenant(db, res, async (sql) => {
            const created = await createArticle(sql, tenantId, input);
            await audit(sql, res, "kb_article.create", String(created.id), { slug });
            return created;
          }),
        );
        res.status(201).json(item);
      },
    },
    {
      method: "get",
      path: "/kb/articles/:id",
      resource: "kb_articles",
      summary: "One article.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const item = await inTenant(db, res, (sql) => getArticle(sql, String(req.params.id)));
        if (!item) throw notFound("article");
        res.json(item);
      },
    },
    {
      method: "patch",
      path: "/kb/articles/:id",
      resource: "kb_articles",
      summary: "Edit an article, or publish / unpublish it.",
      auth: "user",
      role: "editor",
      body: PatchArticleBody,
      example: { published: false },
      status: 200,
      handler: async (req, res) => {
        const body = req.body as Static<typeof PatchArticleBody>;
        const patch: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(body))
          patch[key] = typeof value === "string" ? value.trim() : value;
        const id = String(req.params.id);
        const updated = await uniqueAs(TAKEN, () =>
          inTenant(db, res, async (sql) => {
            const result = await updateArticle(sql, id, patch);
            if (result)
              await audit(sql, res, "kb_article.update", String(result.item.id), { fields: result.fields });
            return result;
          }),
        );
        if (!updated) throw notFound("article");
        res.json(updated.item);
      },
    },
    {
      method: "delete",
      path: "/kb/articles/:id",
      resource: "kb_articles",
      summary: "Delete an article (to hide it from chat but keep it, PATCH published: false).",
      auth: "user",
      role: "editor",
      status: 204,
      handler: async (req, res) => {
        const id = String(req.params.id);
        const deleted = await inTenant(db, res, async (sql) => {
          const done = await deleteArticle(sql, id);
          if (done) await audit(sql, res, "kb_article.delete", id.toLowerCase());
          return done;
        });
        if (!deleted) throw notFound("article");
        res.status(204).end();
      },
    },
  ];
}
