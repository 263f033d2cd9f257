// A screen's error banner, kept per kind of request: a failed load shows until a load succeeds, a refused
// action until that action succeeds (or is tried again). The walk found banners that outlived their cause: a
// page whose list failed once kept saying so after the next load worked. One flag per screen cannot do both:
// the load that follows a refused role change succeeds, and must not hide the refusal.
import { useMemo, useState } from "react";

/** Open failures by source, oldest first; the banner shows the newest. */
export type Failures = Readonly<Record<string, string>>;

export function withFailure(failures: Failures, source: string, text: string): Failures {
  const rest = withSuccess(failures, source);
  return { ...rest, [source]: text };
}

export function withSuccess(failures: Failures, source: string): Failures {
  if (!(source in failures)) return failures;
  const rest = { ...failures };
  delete rest[source];
  return rest;
}

export function bannerOf(failures: Failures): string | undefined {
  return Object.values(failures).at(-1);
}

export interface FailureBanner {
  /** The text to show, or undefined when nothing is failing. */
  readonly banner: string | undefined;
  fail(source: string, text: string): void;
  /** The request of this kind succeeded (or starts again): its failure no longer applies. */
  succeed(source: string): void;
}

export function useFailures(): FailureBanner {
  const [failures, setFailures] = useState<Failures>({});
  // Stable, so loaders may list them as dependencies without reloading on every failure.
  const actions = useMemo(
    () => ({
      fail: (source: string, text: string) => setFailures((current) => withFailure(current, source, text)),
      succeed: (source: string) => setFailures((current) => withSuccess(current, source)),
    }),
    [],
  );
  return { banner: bannerOf(failures), ...actions };
}
