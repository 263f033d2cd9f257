// The browser tab's title follows the page (every tab said "Flowdeck", whichever screen it showed), named as the
// sidebar names it.
import { useEffect } from "react";

const PRODUCT = "Flowdeck";

export function usePageTitle(page: string): void {
  useEffect(() => {
    const before = document.title;
    document.title = `${page} · ${PRODUCT}`;
    return () => {
      document.title = before;
    };
  }, [page]);
}
