// The handoff inbox inside the app: the same screen the browser test embeds, fed by the app's session (its
// access token refreshes like every other call). Its path is `/handoffs`: `/inbox/…` belongs to the API.
import { useApi } from "../app/api-context";
import { usePageTitle } from "../ui/use-page-title";
import { InboxScreen } from "./inbox-screen";

export function InboxPage() {
  const api = useApi();
  usePageTitle("Handoffs");
  return (
    <InboxScreen
      baseUrl={api.baseUrl}
      accessToken={async () => {
        const token = await api.accessToken();
        if (!token) throw new Error("FD603 Signed out. Hint: sign in again to answer conversations.");
        return token;
      }}
    />
  );
}
