/**
 * Why the server refuses to start, with a stable code and a one-line fix (DESIGN.md §7). The CLI prints
 * `flowdeck: <code> <message>` and the hint, never a stack: these are the operator's to fix, not bugs.
 */
export const STARTUP_ERRORS = {
  FD394: {
    hint: "Run `flowdeck migrate` against this database (the deployment's migration job), then start again.",
  },
  FD395: {
    hint: "Install the package where the server runs (npm install <package>), fix or remove it in FLOWDECK_NODE_PACKAGES / flowdeck.config.json, then start again.",
  },
  FD396: {
    hint: "Make secret files private to the server's user: chmod 600 <file>, and chmod 700 <its folder>.",
  },
  FD397: {
    hint: "Set FLOWDECK_JWT_SECRET and FLOWDECK_CHANNEL_SECRET_KEY, or FLOWDECK_SECRETS_DIR (a private folder outside the working folder).",
  },
  FD398: {
    hint: "Set the named FLOWDECK_* variable to a value it accepts (see its documentation), or unset it for the default.",
  },
} as const satisfies Record<string, { hint: string }>;

export type StartupErrorCode = keyof typeof STARTUP_ERRORS;

export class StartupError extends Error {
  override readonly name = "StartupError";
  readonly code: StartupErrorCode;
  readonly hint: string;

  constructor(code: StartupErrorCode, message: string) {
    super(message);
    this.code = code;
    this.hint = STARTUP_ERRORS[code].hint;
  }
}
