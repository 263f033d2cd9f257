import { describe, expect, it } from "vitest";
import { DraftConflictError, type WorkflowDraft } from "../../src/api";
import { createAutosave, type DraftApi } from "../../src/builder/autosave";
import { createDocumentStore } from "../../src/builder/document-store";
import { catalog, COMMENTED_FLOW, validator } from "./builder-fixtures";

/** A server holding one draft, with the same If-Match rule as the real one. */
function fakeServer(yaml: string) {
  let revision = 1;
  let text = yaml;
  const saves: string[] = [];
  const draft = (): WorkflowDraft =>
    ({
      id: "w1",
      yaml: text,
      revision,
      etag: `"w1.${revision}"`,
      problems: [],
      errorCount: 0,
      warningCount: 0,
    }) as unknown as WorkflowDraft;
  const api: DraftApi = {
    getWorkflow: async () => draft(),
    saveDraft: async (_id, yaml, etag) => {
      if (etag !== `"w1.${revision}"`) {
        throw new DraftConflictError(409, {
          code: "FD330",
          message: "stale",
          details: { etag: `"w1.${revision}"` },
        });
      }
      revision += 1;
      text = yaml;
      saves.push(yaml);
      return draft();
    },
  };
  return {
    api,
    saves,
    /** Someone else saves in another tab. */
    saveElsewhere(yaml: string) {
      revision += 1;
      text = yaml;
    },
    get text() {
      return text;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe("autosave", () => {
  it("saves the draft after a change with the ETag it was based on", async () => {
    const server = fakeServer(COMMENTED_FLOW);
    const document = createDocumentStore({ initialText: COMMENTED_FLOW, catalog, validator });
    const autosave = createAutosave({
      api: server.api,
      workflowId: "w1",
      etag: '"w1.1"',
      document,
      debounceMs: 5,
    });
    document.getState().applyEdits([{ kind: "move-node", name: "start", position: { x: 7, y: 7 } }]);
    expect(autosave.store.getState().status).toBe("pending");
    await settle();
    expect(server.saves).toHaveLength(1);
    expect(server.text).toContain("start: { x: 7, y: 7 }");
    expect(autosave.store.getState()).toMatchObject({ status: "saved", etag: '"w1.2"' });
    autosave.dispose();
  });

  it("does not send YAML that does not parse, and saves once it does", async () => {
    const server = fakeServer(COMMENTED_FLOW);
    const document = createDocumentStore({ initialText: COMMENTED_FLOW, catalog, validator });
    const autosave = createAutosave({
      api: server.api,
      workflowId: "w1",
      etag: '"w1.1"',
      document,
      debounceMs: 5,
    });
    document.getState().setText(`${COMMENTED_FLOW}nodes: [`);
    await settle();
    expect(server.saves).toHaveLength(0);
    expect(autosave.store.getState().status).toBe("waiting-for-yaml");
    document.getState().setText(`${COMMENTED_FLOW}# fixed\n`);
    await settle();
    expect(server.saves).toEqual([`${COMMENTED_FLOW}# fixed\n`]);
    autosave.dispose();
  });

  it("shows a conflict with the server's text, loses nothing, and can keep either side", async () => {
    const server = fakeServer(COMMENTED_FLOW);
    const document = createDocumentStore({ initialText: COMMENTED_FLOW, catalog, validator });
    const autosave = createAutosave({
      api: server.api,
      workflowId: "w1",
      etag: '"w1.1"',
      document,
      debounceMs: 5,
    });
    const theirs = `${COMMENTED_FLOW}# theirs\n`;
    const mine = `${COMMENTED_FLOW}# mine\n`;
    server.saveElsewhere(theirs);
    document.getState().setText(mine);
    await settle();
    expect(autosave.store.getState().status).toBe("conflict");
    expect(autosave.store.getState().conflict?.serverYaml).toBe(theirs);
    expect(document.getState().text).toBe(mine);
    expect(server.text).toBe(theirs);

    // Typing goes on during the conflict and is not sent over the other save.
    document.getState().setText(`${mine}# more\n`);
    await settle();
    expect(server.text).toBe(theirs);

    // Load theirs: their text in the editor, ours one undo away.
    autosave.loadTheirs();
    expect(document.getState().text).toBe(theirs);
    document.getState().undo();
    expect(document.getState().text).toBe(`${mine}# more\n`);
    await settle();
    // The undo is a change after theirs: it saves normally with the fresh ETag.
    expect(server.text).toBe(`${mine}# more\n`);
    expect(autosave.store.getState().status).toBe("saved");
    autosave.dispose();
  });

  it("keeps mine over a conflicting save when asked", async () => {
    const server = fakeServer(COMMENTED_FLOW);
    const document = createDocumentStore({ initialText: COMMENTED_FLOW, catalog, validator });
    const autosave = createAutosave({
      api: server.api,
      workflowId: "w1",
      etag: '"w1.1"',
      document,
      debounceMs: 5,
    });
    server.saveElsewhere(`${COMMENTED_FLOW}# theirs\n`);
    document.getState().setText(`${COMMENTED_FLOW}# mine\n`);
    await settle();
    expect(autosave.store.getState().status).toBe("conflict");
    await autosave.keepMine();
    expect(server.text).toBe(`${COMMENTED_FLOW}# mine\n`);
    expect(autosave.store.getState()).toMatchObject({ status: "saved", conflict: undefined });
    autosave.dispose();
  });
});
