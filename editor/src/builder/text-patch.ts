import {
  applyEdit,
  CANONICAL_OPTIONS,
  saveWorkflowDocument,
  type GraphEdit,
  type LoadedWorkflow,
} from "@flowdeck/schemas";
import { isMap, isSeq, type Document } from "yaml";
import { BuilderError } from "./builder-error";

/**
 * Applies canvas edits to the YAML document and prints it so that everything the user wrote stays (comments,
 * key order, formatting). Throws WorkflowEditError (FD140–FD144) for an edit the document refuses and
 * BuilderError FD412 while the text does not parse.
 */
export function patchWorkflowText(loaded: LoadedWorkflow, edits: readonly GraphEdit[]): string {
  if (loaded.doc === undefined || loaded.value === undefined || loaded.doc.errors.length > 0) {
    throw new BuilderError("FD412", "the YAML does not parse, so the canvas cannot change it");
  }
  const doc = loaded.doc.clone();
  unfoldEmptyLists(doc);
  for (const edit of edits) applyEdit(doc, edit);
  // saveWorkflowDocument three-way merges line by line, which takes seconds on a 1,000-node file. Text that is
  // already in canonical form (what the editor itself writes) has nothing to merge: printing it is the answer.
  if (isCanonical(loaded)) return doc.toString(CANONICAL_OPTIONS);
  return saveWorkflowDocument(doc, loaded.text);
}

/**
 * An empty list prints as `[]` (also after the canvas deleted every node), and new items would then stay on that
 * one line: `nodes: [ { name: start, … }, … ]`. An empty list is made a block list, so items get a line each.
 */
function unfoldEmptyLists(doc: Document): void {
  if (!isMap(doc.contents)) return;
  for (const key of ["nodes", "edges"]) {
    const list = doc.contents.get(key, true);
    if (isSeq(list) && list.items.length === 0) list.flow = false;
  }
}

const canonical = new WeakMap<LoadedWorkflow, boolean>();

function isCanonical(loaded: LoadedWorkflow): boolean {
  let known = canonical.get(loaded);
  if (known === undefined) {
    known = loaded.doc!.toString(CANONICAL_OPTIONS) === loaded.text;
    canonical.set(loaded, known);
  }
  return known;
}
