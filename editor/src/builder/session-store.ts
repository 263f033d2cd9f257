import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from "@xyflow/react";
import { createStore, type StoreApi } from "zustand/vanilla";
import type { BuilderGraph } from "./graph-model";
import { reconcileEdges, reconcileNodes, type FlowEdge, type FlowNode } from "./canvas-elements";

export type ViewMode = "canvas" | "split" | "yaml";

/** How far a test run got with a node: drawn on its card, and kept after the run so the path stays visible. */
export type TraceStatus = "running" | "completed" | "failed";

/** How a node differs between two versions (publish dialog, version compare): drawn on its card. */
export type NodeMark = "added" | "removed" | "changed";

/** A one-shot request for a view (reveal this line, center on that node); `nonce` makes repeats distinct. */
export interface RevealRequest {
  readonly line: number;
  readonly column: number;
  readonly nonce: number;
}

export interface FocusNodeRequest {
  readonly id: string;
  readonly nonce: number;
}

/**
 * The session side of the builder: what is selected, where the canvas is looking, which view is open. Nothing
 * here is saved with the workflow; the canvas arrays are the document's graph plus selection, measured sizes
 * and the position of a node while it is being dragged.
 */
export interface SessionState {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
  readonly selectedNodeIds: readonly string[];
  readonly selectedEdgeIds: readonly string[];
  readonly viewMode: ViewMode;
  readonly reveal: RevealRequest | undefined;
  readonly focusNode: FocusNodeRequest | undefined;
  readonly readOnly: boolean;
  /** The test run's steps by node name (test-run panel); empty when nothing ran. */
  readonly trace: Readonly<Record<string, TraceStatus>>;
  /** Diff marks by node name (publish dialog, version compare); empty in the editing builder. */
  readonly marks: Readonly<Record<string, NodeMark>>;

  syncGraph(graph: BuilderGraph): void;
  /** Position, size and selection changes from React Flow. Removals go through document edits instead. */
  applyNodeChanges(changes: NodeChange<FlowNode>[]): void;
  applyEdgeChanges(changes: EdgeChange<FlowEdge>[]): void;
  select(nodeIds: readonly string[], edgeIds?: readonly string[]): void;
  setViewMode(mode: ViewMode): void;
  revealLine(line: number, column?: number): void;
  requestFocusNode(id: string): void;
  setTrace(trace: Readonly<Record<string, TraceStatus>>): void;
  setMarks(marks: Readonly<Record<string, NodeMark>>): void;
}

export type SessionStore = StoreApi<SessionState>;

export interface SessionStoreOptions {
  readonly graph: BuilderGraph;
  readonly readOnly?: boolean;
  readonly viewMode?: ViewMode;
}

const idsOf = (items: ReadonlyArray<{ id: string; selected?: boolean }>) =>
  items.filter((item) => item.selected).map((item) => item.id);

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  let nonce = 0;
  return createStore<SessionState>()((set, get) => ({
    nodes: reconcileNodes([], options.graph),
    edges: reconcileEdges([], options.graph),
    selectedNodeIds: [],
    selectedEdgeIds: [],
    viewMode: options.viewMode ?? "canvas",
    reveal: undefined,
    focusNode: undefined,
    readOnly: options.readOnly ?? false,
    trace: {},
    marks: {},

    syncGraph(graph) {
      const state = get();
      const nodes = reconcileNodes(state.nodes, graph);
      const edges = reconcileEdges(state.edges, graph);
      const selectedNodeIds = idsOf(nodes);
      const selectedEdgeIds = idsOf(edges);
      set({
        nodes,
        edges,
        selectedNodeIds: sameIds(selectedNodeIds, state.selectedNodeIds)
          ? state.selectedNodeIds
          : selectedNodeIds,
        selectedEdgeIds: sameIds(selectedEdgeIds, state.selectedEdgeIds)
          ? state.selectedEdgeIds
          : selectedEdgeIds,
      });
    },

    applyNodeChanges(changes) {
      const kept = changes.filter((change) => change.type !== "remove" && change.type !== "add");
      if (kept.length === 0) return;
      const nodes = applyNodeChanges(kept, get().nodes as FlowNode[]);
      const selectionChanged = kept.some((change) => change.type === "select");
      set(selectionChanged ? { nodes, selectedNodeIds: idsOf(nodes) } : { nodes });
    },

    applyEdgeChanges(changes) {
      const kept = changes.filter((change) => change.type === "select");
      if (kept.length === 0) return;
      const edges = applyEdgeChanges(kept, get().edges as FlowEdge[]);
      set({ edges, selectedEdgeIds: idsOf(edges) });
    },

    select(nodeIds, edgeIds = []) {
      const wantedNodes = new Set(nodeIds);
      const wantedEdges = new Set(edgeIds);
      const state = get();
      const nodes = state.nodes.map((n) =>
        (n.selected ?? false) === wantedNodes.has(n.id) ? n : { ...n, selected: wantedNodes.has(n.id) },
      );
      const edges = state.edges.map((e) =>
        (e.selected ?? false) === wantedEdges.has(e.id) ? e : { ...e, selected: wantedEdges.has(e.id) },
      );
      set({ nodes, edges, selectedNodeIds: idsOf(nodes), selectedEdgeIds: idsOf(edges) });
    },

    setViewMode(viewMode) {
      set({ viewMode });
    },

    revealLine(line, column = 1) {
      nonce += 1;
      set({ reveal: { line, column, nonce } });
    },

    requestFocusNode(id) {
      nonce += 1;
      set({ focusNode: { id, nonce } });
    },

    setTrace(trace) {
      set({ trace });
    },

    setMarks(marks) {
      set({ marks });
    },
  }));
}
