import type { GraphEdit, LayoutPosition, WorkflowEdge } from "@flowdeck/schemas";
import { alwaysMatches, DEFAULT_PORT, edgeFromHandle } from "@flowdeck/schemas";
import { useReactFlow, useStoreApi, type Connection } from "@xyflow/react";
import { useCallback, useMemo } from "react";
import { useBuilderStores } from "./builder-context";
import { builtinBuilderRegistry, starterConfig } from "./builder-registry";
import type { FlowEdge, FlowNode } from "./canvas-elements";
import { FIT_DURATION_MS, FIT_VIEW_OPTIONS, fitFlow, fitMinZoomFor } from "./canvas-fit";
import { copyFragment, parseFragment, pasteEdits } from "./clipboard-fragment";
import { freeSpot } from "./free-spot";
import { baseNameOf, uniqueName } from "./node-naming";

/** Width and height of a node card, used to center a node on a point before it has been measured. */
const CARD_SIZE_PX = { width: 180, height: 64 };

/**
 * The canvas's commands as one object, shared by the canvas, the palette, the toolbar and the keyboard
 * shortcuts. Each command is one document edit, so each is one undo step.
 */
export function useBuilderActions() {
  const { document, session } = useBuilderStores();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const registry = builtinBuilderRegistry().registry;

  const canEdit = useCallback(
    () => !session.getState().readOnly && document.getState().parses,
    [document, session],
  );
  const takenNames = useCallback(
    () => new Set(document.getState().graph.nodes.map((n) => n.name)),
    [document],
  );

  const flowStore = useStoreApi<FlowNode, FlowEdge>();
  /** A free place inside the part of the flow on screen, nearest its middle (`free-spot.ts`). */
  const placeInView = useCallback((): LayoutPosition => {
    const { width, height, transform } = flowStore.getState();
    const [panX, panY, zoom] = transform;
    const view = { x: -panX / zoom, y: -panY / zoom, width: width / zoom, height: height / zoom };
    const cards = session.getState().nodes.map((n) => ({
      x: n.position.x,
      y: n.position.y,
      width: n.measured?.width ?? CARD_SIZE_PX.width,
      height: n.measured?.height ?? CARD_SIZE_PX.height,
    }));
    return freeSpot(view, cards, CARD_SIZE_PX);
  }, [flowStore, session]);

  return useMemo(() => {
    const apply = (edits: GraphEdit[]) => (canEdit() ? document.getState().applyEdits(edits) : false);

    const actions = {
      /**
       * Adds a node of `type` at `position` (flow coordinates), or (a palette click, Enter) in free space inside
       * the view, and selects it.
       */
      addNode(type: string, position?: LayoutPosition): string | undefined {
        const definition = registry.get(type);
        if (!definition) return undefined;
        const name = uniqueName(baseNameOf(type), takenNames());
        const config = starterConfig(definition);
        const at = position ?? placeInView();
        const ok = apply([
          {
            kind: "add-node",
            node: { name, type, ...(config ? { config } : {}) },
            position: { x: Math.round(at.x), y: Math.round(at.y) },
          },
        ]);
        if (ok) session.getState().select([name]);
        return ok ? name : undefined;
      },

      /**
       * Draws an edge from a handle: a branch handle writes its condition (`output.route == 'refund'`), a port
       * handle its port. A conditional edge goes before the first catch-all on its port, which would
       * otherwise always win (FD128), so drawing the fallback first and the intents after still works.
       */
      connect(connection: Connection): boolean {
        if (!connection.source || !connection.target) return false;
        const { graph, value } = document.getState();
        const source = graph.nodes.find((n) => n.id === connection.source);
        const { port, condition } = edgeFromHandle(source?.handles ?? [], connection.sourceHandle);
        const edge: WorkflowEdge = {
          from: source?.name ?? connection.source,
          to: graph.nodes.find((n) => n.id === connection.target)?.name ?? connection.target,
          ...(port === DEFAULT_PORT ? {} : { port }),
          ...(condition === undefined ? {} : { condition }),
        };
        const edits: GraphEdit[] = [{ kind: "add-edge", edge }];
        const existing = Array.isArray(value?.edges) ? (value.edges as unknown[]) : [];
        if (condition !== undefined) {
          const catchAll = graph.edges.find(
            (e) => e.source === edge.from && e.port === port && alwaysMatches(e.condition),
          );
          if (catchAll) edits.push({ kind: "move-edge", from: existing.length, to: catchAll.index });
        }
        return apply(edits);
      },

      /** `pin` writes unplaced nodes' positions even where they already are (auto-layout places every node). */
      moveNodes(
        moved: ReadonlyArray<{ id: string; position: LayoutPosition }>,
        { pin = false }: { pin?: boolean } = {},
      ): boolean {
        const byId = new Map(document.getState().graph.nodes.map((n) => [n.id, n]));
        const edits: GraphEdit[] = [];
        for (const node of moved) {
          const known = byId.get(node.id);
          // Unchanged positions write nothing (a click on a node reports its position too).
          const changed =
            known && (known.position.x !== node.position.x || known.position.y !== node.position.y);
          if (known && (changed || (pin && !known.placed))) {
            edits.push({ kind: "move-node", name: known.name, position: node.position });
          }
        }
        if (edits.length === 0) return true;
        const ok = apply(edits);
        // A refused move (the YAML stopped parsing mid-drag) puts the cards back where the document has them.
        if (!ok) session.getState().syncGraph(document.getState().graph);
        return ok;
      },

      /** Deletes nodes (with their edges) and edges; edges go first, last index first, so indices stay valid. */
      remove(nodeIds: readonly string[], edgeIds: readonly string[]): boolean {
        const graph = document.getState().graph;
        const names = new Set(graph.nodes.filter((n) => nodeIds.includes(n.id)).map((n) => n.name));
        const edgeIndices = graph.edges
          .filter((e) => edgeIds.includes(e.id) && !names.has(e.source) && !names.has(e.target))
          .map((e) => e.index)
          .sort((a, b) => b - a);
        const edits: GraphEdit[] = [
          ...edgeIndices.map((index): GraphEdit => ({ kind: "remove-edge", index })),
          ...[...names].map((name): GraphEdit => ({ kind: "remove-node", name })),
        ];
        return edits.length > 0 && apply(edits);
      },

      removeSelection(): boolean {
        const { selectedNodeIds, selectedEdgeIds } = session.getState();
        return actions.remove(selectedNodeIds, selectedEdgeIds);
      },

      selectAll() {
        session.getState().select(
          session.getState().nodes.map((n) => n.id),
          session.getState().edges.map((e) => e.id),
        );
      },

      copySelection(): string | undefined {
        const { selectedNodeIds, nodes } = session.getState();
        const graph = document.getState().graph;
        const names = new Set(graph.nodes.filter((n) => selectedNodeIds.includes(n.id)).map((n) => n.name));
        const positions = new Map(nodes.map((n) => [n.data.node.name, n.position]));
        return copyFragment(document.getState().value, names, positions);
      },

      /** Pastes a fragment copied here or in another workflow; throws BuilderError FD411 for other text. */
      paste(text: string): boolean {
        const { edits, names } = pasteEdits(parseFragment(text), takenNames());
        const ok = apply(edits);
        if (ok) session.getState().select(names);
        return ok;
      },

      renameNode(from: string, to: string): boolean {
        return apply([{ kind: "rename-node", from, to }]);
      },

      /**
       * The whole flow, or its start's part at FIT_MIN_ZOOM when all of it would take a zoom where plain boxes
       * cannot carry their names (`canvas-fit.ts`).
       */
      fitView() {
        void fitFlow(flow, flowStore.getState(), fitMinZoomFor(flow.getNodes().length), FIT_DURATION_MS);
      },

      /** Places every node with elkjs (loaded on first use) as one undo step. */
      async autoLayout(): Promise<boolean> {
        if (!canEdit()) return false;
        const { layoutGraph } = await import("./auto-layout");
        const positions = await layoutGraph(session.getState().nodes, session.getState().edges);
        const ok = actions.moveNodes(positions, { pin: true });
        // React Flow's fitView, as it waits for the moved nodes to reach its store; its minZoom is the same
        // floor as Fit's (at the floor it centres the flow rather than its start).
        if (ok)
          window.requestAnimationFrame(
            () =>
              void flow.fitView({
                ...FIT_VIEW_OPTIONS,
                minZoom: Math.max(flowStore.getState().minZoom, fitMinZoomFor(positions.length)),
                duration: FIT_DURATION_MS,
              }),
          );
        return ok;
      },

      undo: () => document.getState().undo(),
      redo: () => document.getState().redo(),
    };
    return actions;
  }, [document, session, registry, canEdit, takenNames, placeInView, flow, flowStore]);
}

export type BuilderActions = ReturnType<typeof useBuilderActions>;
