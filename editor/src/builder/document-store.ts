import {
  loadWorkflowText,
  WorkflowEditError,
  type GraphEdit,
  type LoadedWorkflow,
  type NodeCatalog,
  type Problem,
  type WorkflowValidator,
} from "@flowdeck/schemas";
import { createStore, type StoreApi } from "zustand/vanilla";
import { BuilderError } from "./builder-error";
import { deriveGraph, EMPTY_GRAPH, type BuilderGraph, type IconLookup } from "./graph-model";
import { patchWorkflowText } from "./text-patch";
import { EMPTY_HISTORY, recordChange, redoStep, undoStep, type TextHistory } from "./text-history";

/** Where a text change came from; views use it to skip echoing their own edits back. */
export type ChangeOrigin = "load" | "yaml" | "canvas" | "form" | "undo" | "redo" | "server";

export interface EditFailure {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

/**
 * The persisted side of the builder: the YAML text is the source of truth, everything else is derived from it.
 * Selection, view mode and other session state live in the session store.
 */
export interface DocumentState {
  readonly text: string;
  readonly loaded: LoadedWorkflow;
  /** False while the YAML cannot be read; `graph` then still shows the last text that could. */
  readonly parses: boolean;
  readonly problems: readonly Problem[];
  readonly errorCount: number;
  readonly warningCount: number;
  /** The canvas graph of the last text that parsed. */
  readonly graph: BuilderGraph;
  /** The last parsed workflow value (plain data), for the inspector and completions. */
  readonly value: Record<string, unknown> | undefined;
  readonly history: TextHistory;
  /** Increases with every text change. */
  readonly revision: number;
  readonly lastOrigin: ChangeOrigin;
  /** The last canvas edit the document refused (FD14x) or could not take (FD412); cleared by the next change. */
  readonly editFailure: EditFailure | undefined;

  setText(text: string, options?: { origin?: ChangeOrigin; coalesceKey?: string }): void;
  /** Applies canvas edits as one undo step; false (with `editFailure` set) when they could not be applied. */
  applyEdits(edits: readonly GraphEdit[], options?: { origin?: ChangeOrigin; coalesceKey?: string }): boolean;
  undo(): void;
  redo(): void;
  /** Replaces the text without an undo step (the first load from the server). */
  resetText(text: string): void;
  clearEditFailure(): void;
  /** The server's problems for `text` (from loading or saving the draft); ignored when a local validator runs. */
  applyServerProblems(text: string, problems: readonly Problem[]): void;
  /** True when problems come from the server (no local validator). */
  readonly serverValidation: boolean;
}

export interface DocumentStoreOptions {
  readonly initialText: string;
  readonly catalog: NodeCatalog;
  /**
   * Checks each text as it changes. The built-in catalog always has one (its schema check is generated at build
   * time, so it runs under the server's CSP). Without one (a catalog of third-party types with no generated
   * check) only YAML problems are found locally and the server's arrive through `applyServerProblems` per save.
   */
  readonly validator: WorkflowValidator | undefined;
  readonly iconOf?: IconLookup;
  /** Clock for undo coalescing; tests pass a fake one. */
  readonly nowMs?: () => number;
}

export type DocumentStore = StoreApi<DocumentState>;

const countErrors = (problems: readonly Problem[]) => problems.filter((p) => p.severity === "error").length;

type Derived = Pick<
  DocumentState,
  "text" | "loaded" | "parses" | "problems" | "errorCount" | "warningCount" | "graph" | "value"
>;

export function createDocumentStore(options: DocumentStoreOptions): DocumentStore {
  const validator = options.validator;
  const nowMs = options.nowMs ?? (() => Date.now());

  function derive(text: string, previous: Derived | undefined): Derived {
    const loaded = loadWorkflowText(text);
    const result = validator
      ? validator.validateLoaded(loaded)
      : {
          problems: loaded.problems,
          errorCount: countErrors(loaded.problems),
          warningCount: loaded.problems.length - countErrors(loaded.problems),
        };
    const parses = loaded.value !== undefined;
    const value = parses ? (loaded.value as Record<string, unknown>) : previous?.value;
    // Unpositioned nodes keep the place they were shown at: drawing an edge must not move them.
    const graph = parses
      ? deriveGraph(loaded.value, result.problems, options.catalog, options.iconOf, previous?.graph)
      : (previous?.graph ?? EMPTY_GRAPH);
    return {
      text,
      loaded,
      parses,
      problems: result.problems,
      errorCount: result.errorCount,
      warningCount: result.warningCount,
      graph,
      value,
    };
  }

  return createStore<DocumentState>()((set, get) => {
    const change = (text: string, origin: ChangeOrigin, history: TextHistory) => {
      const state = get();
      set({
        ...derive(text, state),
        history,
        revision: state.revision + 1,
        lastOrigin: origin,
        editFailure: undefined,
      });
    };

    return {
      ...derive(options.initialText, undefined),
      history: EMPTY_HISTORY,
      revision: 0,
      lastOrigin: "load",
      editFailure: undefined,

      setText(text, { origin = "yaml", coalesceKey } = {}) {
        const state = get();
        if (text === state.text) return;
        change(text, origin, recordChange(state.history, state.text, { coalesceKey, nowMs: nowMs() }));
      },

      applyEdits(edits, { origin = "canvas", coalesceKey } = {}) {
        const state = get();
        if (edits.length === 0) return true;
        let next: string;
        try {
          next = patchWorkflowText(state.loaded, edits);
        } catch (error) {
          if (error instanceof WorkflowEditError || error instanceof BuilderError) {
            set({ editFailure: { code: error.code, message: error.message, hint: error.hint } });
            return false;
          }
          throw error;
        }
        get().setText(next, { origin, coalesceKey });
        return true;
      },

      undo() {
        const state = get();
        const step = undoStep(state.history, state.text);
        if (step) change(step.text, "undo", step.history);
      },

      redo() {
        const state = get();
        const step = redoStep(state.history, state.text);
        if (step) change(step.text, "redo", step.history);
      },

      resetText(text) {
        change(text, "server", EMPTY_HISTORY);
      },

      clearEditFailure() {
        set({ editFailure: undefined });
      },

      serverValidation: validator === undefined,

      applyServerProblems(text, problems) {
        const state = get();
        if (validator || text !== state.text || !state.parses) return;
        // The server's list is complete: it includes the YAML problems found here too.
        const all = [...problems];
        set({
          problems: all,
          errorCount: countErrors(all),
          warningCount: all.length - countErrors(all),
          graph: deriveGraph(state.loaded.value, all, options.catalog, options.iconOf, state.graph),
        });
      },
    };
  });
}
