/**
 * Names a body field the way a person reads it, from the route's schema and a JSON pointer: `/tenantName` is
 * "Company or team name" (its schema's `title`, which routes set to the editor's label), `/baseUrl` without a
 * title is "Base URL", and `/entries/1` is "Entry 2" — people count from 1, and the pointer stays in
 * `details.field` for programs.
 */

/** Words a camelCase key spells that people write in capitals. */
const CAPITALISED: Readonly<Record<string, string>> = { url: "URL", id: "ID", api: "API", http: "HTTP" };

type SchemaNode = Readonly<Record<string, unknown>>;

const isNode = (value: unknown): value is SchemaNode =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** "baseUrl" → "Base URL", "tenant_name" → "Tenant name". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => CAPITALISED[word.toLowerCase()] ?? word.toLowerCase());
  const text = words.join(" ");
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : key;
}

/** A schema and the branches of its `anyOf` (a nullable or optional union), the schema itself first. */
function variants(schema: unknown): SchemaNode[] {
  if (!isNode(schema)) return [];
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf.filter(isNode) : [];
  return [schema, ...branches];
}

function titleOf(schema: unknown): string | undefined {
  for (const variant of variants(schema)) if (typeof variant.title === "string") return variant.title;
  return undefined;
}

/** The label of the field at `pointer` in a body validated by `schema`; "The request body" for the root. */
export function fieldLabel(schema: unknown, pointer: string): string {
  if (pointer === "") return "The request body";
  let current: unknown = schema;
  let label = "";
  let inEntry = false;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const list = variants(current).find((node) => isNode(node.items));
    if (list && /^\d+$/.test(key)) {
      current = list.items;
      const ordinal = Number(key) + 1;
      const itemTitle = titleOf(current);
      label = itemTitle ? `${itemTitle} ${ordinal}` : `${label || "Item"}, item ${ordinal}`;
      inEntry = true;
      continue;
    }
    const owner = variants(current).find((node) => isNode(node.properties));
    current = owner ? (owner.properties as SchemaNode)[key] : undefined;
    const own = titleOf(current) ?? humanizeKey(key);
    // A field of a list entry keeps the entry's place: "SKU (Items, item 2)", not a bare "SKU".
    label = inEntry ? `${own} (${label})` : own;
    inEntry = false;
  }
  return label;
}
