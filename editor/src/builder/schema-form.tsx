import {
  EXPRESSION_MEDIA_TYPE,
  formatPath,
  TEMPLATE_MEDIA_TYPE,
  type JsonSchema,
  type PathSegment,
  type Problem,
} from "@flowdeck/schemas";
import { memo, useState } from "react";
import { CodeField } from "./code-field";
import { FieldProblems, JsonFallback, NumberInput } from "./schema-form-inputs";
import type { CompletionTree } from "./completions";
import { isSingleLineText } from "./text-field-lines";

export interface FieldContext {
  readonly readOnly: boolean;
  readonly tree: CompletionTree;
  /** Problems of this node by field path below the node (`config.text`), formatted like Problem.path. */
  readonly problems: ReadonlyMap<string, readonly Problem[]>;
  readonly idPrefix: string;
  /** `value: undefined` removes the field. */
  onChange(path: readonly PathSegment[], value: unknown): void;
}

const asSchema = (value: unknown): JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonSchema) : {};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The alternative that describes objects when a schema is `anyOf`/`oneOf` (TypeBox unions, "at least one of"). */
function effective(schema: JsonSchema): JsonSchema {
  if (schema.type !== undefined || schema.enum !== undefined) return schema;
  const alternatives = [schema.anyOf, schema.oneOf].flatMap((list) => (Array.isArray(list) ? list : []));
  const chosen = alternatives.map(asSchema).find((alt) => alt.type !== undefined && alt.type !== "null");
  return chosen
    ? {
        ...chosen,
        title: schema.title ?? chosen.title,
        description: schema.description ?? chosen.description,
      }
    : schema;
}

function emptyValue(schema: JsonSchema): unknown {
  const s = effective(schema);
  if (s.default !== undefined) return structuredClone(s.default);
  if (Array.isArray(s.enum)) return s.enum[0];
  switch (s.type) {
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return "";
  }
}

const labelOf = (schema: JsonSchema, key: string) =>
  typeof schema.title === "string"
    ? schema.title
    : key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** Fields of an object schema: declared properties in order, required ones marked. */
export const ObjectFields = memo(function ObjectFields({
  schema,
  value,
  path,
  context,
}: {
  schema: JsonSchema;
  value: unknown;
  path: readonly PathSegment[];
  context: FieldContext;
}) {
  const s = effective(schema);
  const properties = asSchema(s.properties);
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const record = isRecord(value) ? value : {};
  if (Object.keys(properties).length === 0 && isRecord(s.patternProperties)) {
    return <MapField schema={s} value={record} path={path} context={context} />;
  }
  return (
    <>
      {Object.entries(properties).map(([key, sub]) => (
        <SchemaField
          key={key}
          name={key}
          schema={asSchema(sub)}
          value={record[key]}
          path={[...path, key]}
          required={required.has(key)}
          context={context}
        />
      ))}
    </>
  );
});

/** One field, chosen by its schema: text, code, number, enum, boolean, list, nested object, or a YAML fallback. */
export function SchemaField({
  name,
  schema,
  value,
  path,
  required,
  context,
}: {
  name: string;
  schema: JsonSchema;
  value: unknown;
  path: readonly PathSegment[];
  required: boolean;
  context: FieldContext;
}) {
  const s = effective(schema);
  const id = `${context.idPrefix}-${path.join("-")}`;
  const problems = context.problems.get(formatPath(path)) ?? [];
  const messageId = problems.length > 0 ? `${id}-problems` : undefined;
  const helpId = typeof s.description === "string" ? `${id}-help` : undefined;
  const describedBy = [messageId, helpId].filter(Boolean).join(" ") || undefined;
  const label = `${labelOf(s, name)}${required ? " *" : ""}`;
  const set = (next: unknown) => context.onChange(path, next);
  // Clearing an optional field removes it from the YAML instead of writing an empty value.
  const setText = (text: string) => set(text === "" && !required ? undefined : text);
  const common = {
    id,
    "aria-invalid": problems.length > 0,
    "aria-describedby": describedBy,
    disabled: context.readOnly,
  };

  let control;
  if (s.type === "object" || s.type === "array") {
    const Nested = s.type === "object" ? ObjectFields : ArrayField;
    return (
      <fieldset className="fdb-field fdb-field--group" data-testid={`field-${path.join(".")}`}>
        <legend>{label}</legend>
        {helpId && (
          <p id={helpId} className="fdb-field__help">
            {String(s.description)}
          </p>
        )}
        <FieldProblems id={messageId} problems={problems} />
        <Nested schema={s} value={value} path={path} context={context} />
      </fieldset>
    );
  } else if (Array.isArray(s.enum)) {
    control = (
      <select
        {...common}
        value={value === undefined ? "" : String(value)}
        onChange={(e) => setText(e.target.value)}
      >
        {!required && (
          <option value="">(default{s.default !== undefined ? `: ${String(s.default)}` : ""})</option>
        )}
        {(s.enum as unknown[]).map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (s.type === "boolean") {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === undefined ? s.default === true : value === true}
        onChange={(e) => set(e.target.checked)}
      />
    );
  } else if (s.type === "number" || s.type === "integer") {
    control = <NumberInput common={common} value={value} placeholder={s.default} onChange={(n) => set(n)} />;
  } else if (
    s.type === "string" &&
    (s.contentMediaType === TEMPLATE_MEDIA_TYPE || s.contentMediaType === EXPRESSION_MEDIA_TYPE)
  ) {
    control = (
      <CodeField
        id={id}
        kind={s.contentMediaType === TEMPLATE_MEDIA_TYPE ? "template" : "expression"}
        value={typeof value === "string" ? value : ""}
        tree={context.tree}
        readOnly={context.readOnly}
        invalid={problems.length > 0}
        describedBy={describedBy}
        onChange={setText}
      />
    );
  } else if (s.type === "string") {
    control = isSingleLineText(s) ? (
      <input
        {...common}
        type="text"
        value={typeof value === "string" ? value : ""}
        onChange={(e) => setText(e.target.value)}
      />
    ) : (
      <textarea
        {...common}
        rows={2}
        value={typeof value === "string" ? value : ""}
        onChange={(e) => setText(e.target.value)}
      />
    );
  } else {
    control = <JsonFallback common={common} value={value} onChange={set} />;
  }

  return (
    <div className="fdb-field" data-testid={`field-${path.join(".")}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {helpId && (
        <p id={helpId} className="fdb-field__help">
          {String(s.description)}
        </p>
      )}
      <FieldProblems id={messageId} problems={problems} />
    </div>
  );
}

function ArrayField({
  schema,
  value,
  path,
  context,
}: {
  schema: JsonSchema;
  value: unknown;
  path: readonly PathSegment[];
  context: FieldContext;
}) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = asSchema(schema.items);
  return (
    <div className="fdb-array">
      {items.map((item, index) => (
        <div key={index} className="fdb-array__item">
          <SchemaField
            name={`${index + 1}`}
            schema={{ ...itemSchema, title: `${labelOf(itemSchema, "Item")} ${index + 1}` }}
            value={item}
            path={[...path, index]}
            required
            context={context}
          />
          <button
            type="button"
            className="fdb-button fdb-button--small"
            disabled={context.readOnly}
            onClick={() =>
              context.onChange(
                path,
                items.filter((_, i) => i !== index),
              )
            }
            aria-label={`Remove item ${index + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="fdb-button fdb-button--small"
        disabled={context.readOnly}
        onClick={() => context.onChange(path, [...items, emptyValue(itemSchema)])}
      >
        Add {labelOf(itemSchema, "item").toLowerCase()}
      </button>
    </div>
  );
}

function MapField({
  schema,
  value,
  path,
  context,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  path: readonly PathSegment[];
  context: FieldContext;
}) {
  const [newKey, setNewKey] = useState("");
  const valueSchema = asSchema(Object.values(asSchema(schema.patternProperties))[0]);
  return (
    <div className="fdb-map">
      {Object.entries(value).map(([key, item]) => (
        <div key={key} className="fdb-map__entry">
          <SchemaField
            name={key}
            schema={{ ...valueSchema, title: key }}
            value={item}
            path={[...path, key]}
            required
            context={context}
          />
          <button
            type="button"
            className="fdb-button fdb-button--small"
            disabled={context.readOnly}
            onClick={() => context.onChange([...path, key], undefined)}
            aria-label={`Remove ${key}`}
          >
            Remove
          </button>
        </div>
      ))}
      <div className="fdb-map__add">
        <input
          type="text"
          aria-label="New key"
          placeholder="new_key"
          value={newKey}
          disabled={context.readOnly}
          onChange={(e) => setNewKey(e.target.value)}
        />
        <button
          type="button"
          className="fdb-button fdb-button--small"
          disabled={context.readOnly || newKey === "" || newKey in value}
          onClick={() => {
            context.onChange([...path, newKey], emptyValue(valueSchema));
            setNewKey("");
          }}
        >
          Add
        </button>
      </div>
    </div>
  );
}
