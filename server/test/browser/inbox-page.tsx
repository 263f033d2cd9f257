// The inbox screen on a page of its own, for the browser test: editor/src/inbox/InboxScreen with a fixed token.
import { createRoot } from "react-dom/client";
import { InboxScreen } from "../../../editor/src/inbox/inbox-screen";

declare global {
  interface Window {
    __INBOX__: { baseUrl: string; token: string };
  }
}

const { baseUrl, token } = window.__INBOX__;
createRoot(document.getElementById("root")!).render(
  <InboxScreen baseUrl={baseUrl} accessToken={() => token} pollIntervalMs={300} />,
);
