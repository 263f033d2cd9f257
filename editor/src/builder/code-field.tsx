import { useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { completionsAt, type CompletionQuery, type CompletionTree } from "./completions";

export interface CodeFieldProps {
  readonly id: string;
  readonly kind: "template" | "expression";
  readonly value: string;
  readonly tree: CompletionTree;
  readonly readOnly: boolean;
  readonly invalid: boolean;
  readonly describedBy: string | undefined;
  onChange(value: string): void;
}

/** The most suggestions shown at once; typing more letters narrows the list. */
const MAX_OPTIONS = 8;

/**
 * A Liquid template or CEL expression field: a plain textarea over a highlighted copy of its text, with a
 * suggestion list for `nodes.*`, `vars.*` and `input.*` (an ARIA combobox: arrows choose, Enter or Tab take,
 * Escape closes). Light on purpose; Monaco is for the YAML view.
 */
export function CodeField({
  id,
  kind,
  value,
  tree,
  readOnly,
  invalid,
  describedBy,
  onChange,
}: CodeFieldProps) {
  const listId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<CompletionQuery | undefined>();
  const [active, setActive] = useState(0);
  const options = query?.options.slice(0, MAX_OPTIONS) ?? [];
  const open = options.length > 0;

  const refresh = (text: string, caret: number) => {
    setQuery(completionsAt(text, caret, tree, kind));
    setActive(0);
  };

  const accept = (option: string) => {
    if (!query || !ref.current) return;
    const caret = ref.current.selectionStart;
    const next = value.slice(0, query.from) + option + value.slice(caret);
    onChange(next);
    setQuery(undefined);
    const at = query.from + option.length;
    requestAnimationFrame(() => ref.current?.setSelectionRange(at, at));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      accept(options[active]!);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setQuery(undefined);
    }
  };

  const highlighted = useMemo(() => highlight(value, kind), [value, kind]);
  return (
    <div className={`fdb-code fdb-code--${kind}${invalid ? " fdb-code--invalid" : ""}`}>
      <pre className="fdb-code__highlight" aria-hidden="true">
        {highlighted}
        {"\n"}
      </pre>
      <textarea
        ref={ref}
        id={id}
        className="fdb-code__input"
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        rows={Math.min(8, Math.max(1, value.split("\n").length))}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        data-testid={`code-field-${id}`}
        onChange={(e) => {
          onChange(e.target.value);
          refresh(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setQuery(undefined)}
      />
      <ul id={listId} role="listbox" className="fdb-code__options" hidden={!open} aria-label="Suggestions">
        {options.map((option, i) => (
          <li
            key={option}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "fdb-code__option fdb-code__option--active" : "fdb-code__option"}
            // mousedown, not click: the textarea must not lose focus (which would close the list) first.
            onMouseDown={(e) => {
              e.preventDefault();
              accept(option);
            }}
          >
            {option}
          </li>
        ))}
      </ul>
    </div>
  );
}

const ROOT_WORD = /\b(input|vars|nodes|conversation|tenant|output|answer)\b/g;

/** Spans for the overlay: `{{ }}` / `{% %}` blocks in templates, root names and strings in expressions. */
function highlight(text: string, kind: "template" | "expression"): ReactNode[] {
  if (kind === "expression") return highlightCode(text, "x");
  const parts: ReactNode[] = [];
  const block = /\{\{[\s\S]*?(\}\}|$)|\{%[\s\S]*?(%\}|$)/g;
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(block)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(
      <span key={`b${n++}`} className="fdb-tok-block">
        {highlightCode(match[0], `b${n}`)}
      </span>,
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function highlightCode(text: string, keyPrefix: string): ReactNode[] {
  const parts: ReactNode[] = [];
  const token = new RegExp(`${ROOT_WORD.source}|'[^']*'?|"[^"]*"?`, "g");
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(token)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const className =
      match[0].startsWith("'") || match[0].startsWith('"') ? "fdb-tok-string" : "fdb-tok-root";
    parts.push(
      <span key={`${keyPrefix}-${n++}`} className={className}>
        {match[0]}
      </span>,
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
