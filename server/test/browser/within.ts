// Playwright's clock and evaluate calls have no timeout of their own: a page whose script spins never answers them,
// and the test would end at its own timeout with no word of where. This names what stalled.
export function within<T>(work: Promise<T>, what: string, limitMs = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer in ${limitMs / 1000} s: the page is stuck`)),
      limitMs,
    );
  });
  return Promise.race([work, stalled]).finally(() => clearTimeout(timer));
}
