/** The run whose step calls the domain services; a lead it captures keeps it (leads.ts). */
export interface RunOrigin {
  readonly runId: string;
  /** `runs.channel`: `test` for the editor's test runs, `web:<id>`, `webhook:<id>`, `api` … */
  readonly channel: string;
}
