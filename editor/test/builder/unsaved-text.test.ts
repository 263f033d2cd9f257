import { describe, expect, it } from "vitest";
import { createAutosave, type DraftApi } from "../../src/builder/autosave";
import { createDocumentStore } from "../../src/builder/document-store";
import { keepUnsavedDrafts, readKeptDraft } from "../../src/builder/kept-draft";
import { leavingLosesText, unsavedKind } from "../../src/builder/unsaved-text";
import { installLeaveGuard, requestLeave } from "../../src/ui/leave-guard";
import { catalog, COMMENTED_FLOW, validator } from "./builder-fixtures";
import { memoryStorage } from "../support/memory-storage";

/** A server that takes every save. */
function acceptingApi(): DraftApi & { saves: string[] } {
  let revision = 1;
  const saves: string[] = [];
  return {
    saves,
    getWorkflow: async () => {
      throw new Error("not used");
    },
    saveDraft: async (_id, yaml) => {
      revision += 1;
      saves.push(yaml);
      return { etag: `"w1.${revision}"`, problems: [] } as never;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 60));
const BROKEN = `${COMMENTED_FLOW}\n  - name: [unclosed\n`;

function openBuilder() {
  const api = acceptingApi();
  const document = createDocumentStore({ initialText: COMMENTED_FLOW, catalog, validator });
  const autosave = createAutosave({ api, workflowId: "w1", etag: '"w1.1"', document, debounceMs: 5 });
  const storage = memoryStorage();
  const stopKeeping = keepUnsavedDrafts({ workflowId: "w1", document, save: autosave.store, storage });
  const kind = () => unsavedKind(autosave.store.getState(), document.getState());
  return { api, document, autosave, storage, kind, stopKeeping };
}

describe("unsaved text", () => {
  it("blocks leaving while the YAML does not parse, and releases once it parses and is saved", async () => {
    const { api, document, autosave, storage, kind, stopKeeping } = openBuilder();
    expect(kind()).toBeUndefined();

    document.getState().setText(BROKEN);
    await settle();
    expect(document.getState().parses).toBe(false);
    expect(autosave.store.getState().status).toBe("waiting-for-yaml");
    expect(kind()).toBe("yaml-errors");
    expect(leavingLosesText(kind())).toBe(true);
    expect(readKeptDraft("w1", storage)).toEqual({ text: BROKEN, base: COMMENTED_FLOW });

    const fixed = COMMENTED_FLOW.replace("start: { x: 0, y: 0 }", "start: { x: 4, y: 4 }");
    document.getState().setText(fixed);
    // A save is on its way: a reload still asks, in-app navigation does not (unmounting flushes it).
    expect(kind()).toBe("saving");
    expect(leavingLosesText(kind())).toBe(false);
    await settle();
    expect(api.saves).toEqual([fixed]);
    expect(kind()).toBeUndefined();
    expect(readKeptDraft("w1", storage)).toBeUndefined();
    stopKeeping();
    autosave.dispose();
  });

  it("asks the registered guard before an in-app navigation, and goes on only if the user leaves", () => {
    let blocked = true;
    let asked: (() => void) | undefined;
    const uninstall = installLeaveGuard({ blocks: () => blocked, ask: (leave) => (asked = leave) });
    const went: string[] = [];
    requestLeave(() => went.push("list"));
    expect(went).toEqual([]);
    asked?.();
    expect(went).toEqual(["list"]);

    blocked = false;
    requestLeave(() => went.push("team"));
    expect(went).toEqual(["list", "team"]);
    uninstall();
    blocked = true;
    requestLeave(() => went.push("runs"));
    expect(went).toEqual(["list", "team", "runs"]);
  });

  it("keeps a draft from an earlier visit until newer text is saved", async () => {
    const { document, autosave, storage, stopKeeping } = openBuilder();
    storage.setItem("flowdeck:unsaved-yaml:w1", JSON.stringify({ text: BROKEN, base: COMMENTED_FLOW }));
    // Problems from the server change the document but not its text: the kept draft stays.
    document.getState().applyServerProblems(COMMENTED_FLOW, []);
    await settle();
    expect(readKeptDraft("w1", storage)?.text).toBe(BROKEN);
    document.getState().setText(COMMENTED_FLOW.replace("start: { x: 0, y: 0 }", "start: { x: 9, y: 9 }"));
    await settle();
    expect(readKeptDraft("w1", storage)).toBeUndefined();
    stopKeeping();
    autosave.dispose();
  });
});
