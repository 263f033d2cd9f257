// A yes/no choice of the user's that outlives the page, per browser (localStorage): the problems panel's
// collapsed state. Storage that is missing or refuses (private windows, quota, a sandboxed frame) only means
// the choice is not remembered; it never breaks the builder.
import { useCallback, useState } from "react";

function storage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The flag stored under `key` ("1" / "0"); `fallback` when nothing (or something else) is stored. */
export function readRememberedFlag(key: string, fallback: boolean): boolean {
  try {
    const stored = storage()?.getItem(key);
    return stored === "1" ? true : stored === "0" ? false : fallback;
  } catch {
    return fallback;
  }
}

export function writeRememberedFlag(key: string, value: boolean): void {
  try {
    storage()?.setItem(key, value ? "1" : "0");
  } catch {
    // Not remembered this time; the choice still holds on this page.
  }
}

/** `useState` for a flag that is read from and written to localStorage under `key`. */
export function useRememberedFlag(key: string, fallback: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => readRememberedFlag(key, fallback));
  const set = useCallback(
    (next: boolean) => {
      setValue(next);
      writeRememberedFlag(key, next);
    },
    [key],
  );
  return [value, set];
}
