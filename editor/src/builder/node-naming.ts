import { IDENTIFIER_PATTERN } from "@flowdeck/schemas";

const identifier = new RegExp(IDENTIFIER_PATTERN);

/** The name a new node of `type` starts with: `tool.order_lookup` → `order_lookup`, `acme.weather` → `weather`. */
export function baseNameOf(type: string): string {
  const last = type.split(".").pop() ?? "node";
  const cleaned = last.replace(/[^A-Za-z0-9_]/g, "_").replace(/^[0-9]+/, "");
  return cleaned === "" ? "node" : cleaned;
}

/**
 * A name not in `taken`: the base itself when free (the first start node is `start`), otherwise `<base>_2`,
 * `<base>_3`… Names copied from another flow keep their name when it is free.
 */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  const stem = identifier.test(base) ? base.replace(/_\d+$/, "") || base : baseNameOf(base);
  if (!taken.has(base) && identifier.test(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${stem}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
