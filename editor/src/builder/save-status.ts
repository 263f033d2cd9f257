/** Where autosave is with the text on screen (autosave.ts); its own file so unsaved-text.ts can read it too. */
export type SaveStatus = "saved" | "pending" | "saving" | "waiting-for-yaml" | "conflict" | "error";
