import { StartupError } from "../config/startup-error";

/** A configured node package that cannot be used refuses the start (FD395), naming the package and why. */
export function nodePackageError(spec: string, reason: string): StartupError {
  return new StartupError("FD395", `Node package "${spec}" cannot be loaded: ${reason}`);
}
