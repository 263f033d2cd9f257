import { memo, useMemo, useState, type DragEvent } from "react";
import type { BuilderActions } from "./builder-actions";
import { useDocument, useSession } from "./builder-context";
import { builtinBuilderRegistry } from "./builder-registry";
import { PALETTE_DRAG_TYPE } from "./workflow-canvas";

/** Palette groups in this order; a third-party category comes after them, in registration order. */
const CATEGORY_ORDER = ["flow", "ai", "logic", "human", "tools"];
const CATEGORY_TITLES: Record<string, string> = {
  flow: "Flow",
  ai: "AI",
  logic: "Logic",
  human: "People",
  tools: "Tools",
};

interface PaletteEntry {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly haystack: string;
}

function paletteEntries(): PaletteEntry[] {
  return builtinBuilderRegistry()
    .registry.list()
    .map((d) => ({
      type: d.type,
      title: d.meta.title,
      description: d.meta.description,
      category: d.meta.category,
      haystack: [d.type, d.meta.title, d.meta.description, ...(d.meta.tags ?? [])].join(" ").toLowerCase(),
    }));
}

/**
 * The node palette, generated from the registry. Drag an item onto the canvas, or focus it (Tab, arrows) and
 * press Enter to add it in the middle of the view.
 */
export const Palette = memo(function Palette({ actions }: { actions: BuilderActions }) {
  const [query, setQuery] = useState("");
  const readOnly = useSession((s) => s.readOnly);
  const parses = useDocument((s) => s.parses);
  const disabled = readOnly || !parses;
  const entries = useMemo(paletteEntries, []);
  const groups = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matching = entries.filter((e) => words.every((w) => e.haystack.includes(w)));
    const categories = [...new Set([...CATEGORY_ORDER, ...matching.map((e) => e.category)])];
    return categories
      .map((category) => ({ category, items: matching.filter((e) => e.category === category) }))
      .filter((group) => group.items.length > 0);
  }, [entries, query]);

  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(PALETTE_DRAG_TYPE, type);
    event.dataTransfer.setData("text/plain", type);
    event.dataTransfer.effectAllowed = "copy";
  };

  return (
    <nav className="fdb-palette" aria-label="Node palette" data-testid="palette">
      <label className="fdb-palette__search">
        <span className="fdb-visually-hidden">Search nodes</span>
        <input
          type="search"
          placeholder="Search nodes…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="palette-search"
        />
      </label>
      {groups.length === 0 && <p className="fdb-muted">No node matches “{query}”.</p>}
      {groups.map((group) => (
        <section
          key={group.category}
          className="fdb-palette__group"
          aria-labelledby={`fdb-palette-${group.category}`}
        >
          <h3 id={`fdb-palette-${group.category}`} className="fdb-palette__title">
            {CATEGORY_TITLES[group.category] ?? group.category}
          </h3>
          <ul>
            {group.items.map((item) => (
              <li key={item.type}>
                <button
                  type="button"
                  className={`fdb-palette__item fdb-palette__item--${group.category.replace(/[^a-z0-9-]/gi, "-")}`}
                  draggable={!disabled}
                  disabled={disabled}
                  onDragStart={(e) => onDragStart(e, item.type)}
                  onClick={() => actions.addNode(item.type)}
                  title={item.description}
                  data-testid={`palette-item-${item.type}`}
                  aria-description={`${item.description} Press Enter to add it to the canvas.`}
                >
                  <span className="fdb-palette__item-title">{item.title}</span>
                  <span className="fdb-palette__item-type">{item.type}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
});
