// wouter has no navigation blocker (unlike react-router's useBlocker), so the app's <Router> gets this location
// hook: every Link, Redirect and navigate() goes through requestLeave, which asks the current screen's guard
// (ui/leave-guard.ts) first. Back/forward never call navigate, so popstate is caught separately below.
import { navigate, useBrowserLocation } from "wouter/use-browser-location";
import { leaveIsBlocked, requestLeave } from "../ui/leave-guard";

type NavigateOptions = Parameters<typeof navigate>[1];

function guardedNavigate(to: string | URL, options?: NavigateOptions): void {
  requestLeave(() => navigate(to, options));
}

export function useGuardedBrowserLocation(): [string, typeof guardedNavigate] {
  const [location] = useBrowserLocation();
  return [location, guardedNavigate];
}

/**
 * Back/forward has already changed the URL when popstate fires. This listener has to run before wouter's, so the
 * route never changes: the screen's URL is put back and the guard asks; leaving then navigates to where the
 * button was going. Listeners on window run in the order they were added (capture or not, as measured in
 * Chromium), and wouter adds its own when the first route renders, so this one is added when the module loads.
 */
function guardHistoryButtons(): void {
  let shownUrl = currentUrl();
  const remember = () => {
    shownUrl = currentUrl();
  };
  const onPopState = (event: PopStateEvent) => {
    if (!leaveIsBlocked()) {
      remember();
      return;
    }
    event.stopImmediatePropagation();
    const target = currentUrl();
    history.pushState(null, "", shownUrl);
    requestLeave(() => navigate(target));
  };
  // wouter dispatches these after every push/replace (it patches history), so shownUrl follows in-app moves.
  window.addEventListener("pushState", remember);
  window.addEventListener("replaceState", remember);
  window.addEventListener("popstate", onPopState);
}
if (typeof window !== "undefined") guardHistoryButtons();

function currentUrl(): string {
  return `${location.pathname}${location.search}${location.hash}`;
}
