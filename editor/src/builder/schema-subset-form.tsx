import type { JsonSchema, PathSegment, Problem } from "@flowdeck/schemas";
import { useCallback, useMemo } from "react";
import { useDocument, useSession } from "./builder-context";
import { completionTree } from "./completions";
import { ObjectFields, type FieldContext } from "./schema-form";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A form over some properties of an object schema taken from the published workflow schema (a node's
 * `description`, `retry`, `timeout_ms`; the workflow's trigger, vars, priority …), drawn by the same generated
 * form as `config`, so these fields need no YAML and no hand-written form either.
 */
export function SchemaSubsetForm({
  label,
  objectSchema,
  keys,
  value,
  problemPrefix,
  idPrefix,
  onChange,
}: {
  label: string;
  objectSchema: JsonSchema | undefined;
  keys: readonly string[];
  value: Record<string, unknown>;
  /** Problems under this path (`nodes[3]`, or "" for the document) are shown at their fields. */
  problemPrefix: string;
  idPrefix: string;
  onChange(path: readonly PathSegment[], next: unknown): void;
}) {
  const docValue = useDocument((s) => s.value);
  const problems = useDocument((s) => s.problems);
  const parses = useDocument((s) => s.parses);
  const readOnly = useSession((s) => s.readOnly) || !parses;
  const tree = useMemo(() => completionTree(docValue), [docValue]);
  const schema = useMemo((): JsonSchema => {
    const properties = isRecord(objectSchema?.properties) ? objectSchema.properties : {};
    return {
      type: "object",
      properties: Object.fromEntries(keys.filter((k) => k in properties).map((k) => [k, properties[k]])),
    };
  }, [objectSchema, keys]);
  const byField = useMemo(() => {
    const map = new Map<string, Problem[]>();
    for (const problem of problems) {
      const rest = problemPrefix === "" ? problem.path : problem.path.slice(problemPrefix.length + 1);
      if (problemPrefix !== "" && !problem.path.startsWith(`${problemPrefix}.`)) continue;
      const key = keys.find((k) => rest === k || rest.startsWith(`${k}.`) || rest.startsWith(`${k}[`));
      if (!key) continue;
      map.set(rest, [...(map.get(rest) ?? []), problem]);
    }
    return map;
  }, [problems, problemPrefix, keys]);
  const change = useCallback(
    (path: readonly PathSegment[], next: unknown) => onChange(path, next),
    [onChange],
  );
  const context: FieldContext = useMemo(
    () => ({ readOnly, tree, problems: byField, idPrefix, onChange: change }),
    [readOnly, tree, byField, idPrefix, change],
  );
  if (Object.keys(schema.properties as object).length === 0) return null;
  return (
    <form
      className="fdb-form"
      aria-label={label}
      onSubmit={(e) => e.preventDefault()}
      data-testid={`form-${idPrefix}`}
    >
      <ObjectFields schema={schema} value={value} path={[]} context={context} />
    </form>
  );
}
