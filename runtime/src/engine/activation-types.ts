import type { ResumeInput } from "@flowdeck/node-library/runtime";
import type { RunStatus } from "./run-types";

/**
 * What re-enters a waiting step: the customer's message or a human's hand-back (with the seq of the
 * `resume.requested` event it came from, in queue mode), or the ask's timeout running out.
 */
export type ActivationInput =
  | (ResumeInput & { readonly requestSeq?: number; readonly requestOutboxId?: string })
  | { readonly kind: "timeout"; readonly stepId: string };

/** What an activation ends in: the run waits, is parked for a human, completed, or failed. */
export interface ActivationEnd {
  readonly status: RunStatus;
  readonly output?: unknown;
  readonly error?: { code: string; message: string } | null;
}
