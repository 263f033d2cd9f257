// Whether the text on screen is not on the server, and whether leaving now would lose it. Autosave's
// beforeunload and the in-app leave guard (unsaved-changes.tsx) answer from the same rule.
import type { SaveStatus } from "./save-status";

/**
 * - `saving`: a save is waiting or on its way; leaving the screen in-app still sends it (WorkflowBuilder flushes
 *   on unmount), a reload or close only if the keepalive save gets out.
 * - `yaml-errors`: the text does not parse, so it is never sent.
 * - `not-saved`: it parses but was refused or failed (conflict, no valid name, server error).
 */
export type UnsavedKind = "saving" | "yaml-errors" | "not-saved";

export function unsavedKind(
  save: { readonly status: SaveStatus; readonly savedText: string },
  doc: { readonly text: string; readonly parses: boolean },
): UnsavedKind | undefined {
  if (doc.text === save.savedText) return undefined;
  if (save.status === "pending" || save.status === "saving" || save.status === "saved") return "saving";
  return doc.parses ? "not-saved" : "yaml-errors";
}

/** In-app navigation needs asking only when nothing will save the text on the way out. */
export function leavingLosesText(kind: UnsavedKind | undefined): kind is "yaml-errors" | "not-saved" {
  return kind === "yaml-errors" || kind === "not-saved";
}

export function leaveQuestion(kind: "yaml-errors" | "not-saved"): string {
  return kind === "yaml-errors"
    ? "Your YAML has errors and was not saved. Leave and lose your changes?"
    : "Your latest changes were not saved. Leave and lose them?";
}
