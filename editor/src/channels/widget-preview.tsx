// A live preview of the chat widget: the channel's own embed snippet in a same-origin iframe (srcdoc), so it
// is the real widget talking to the real flow. The widget is accepted only from an allowed Origin, and the
// preview's Origin is this page's: when it is not in the list, the preview says so instead of failing quietly.
import type { Channel } from "../api/workspace-types";

export function WidgetPreview({ channel, embed }: { readonly channel: Channel; readonly embed: string }) {
  const origin = window.location.origin;
  if (!channel.allowedOrigins.includes(origin)) {
    return (
      <p className="fd-alert fd-alert--info" role="note">
        Live preview: add {origin} to the allowed origins to try the widget on this page.
      </p>
    );
  }
  // data-open: the preview shows the chat opened rather than a lone button in an empty frame.
  const snippet = embed.replace(" async>", " data-open async>");
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Widget preview</title></head><body style="margin:0;font-family:system-ui;background:#f6f7f9">${snippet}</body></html>`;
  return (
    <div className="fd-widget-preview">
      <h3 className="fd-section-title">Live preview</h3>
      <iframe
        title={`Chat widget preview for ${channel.name}`}
        srcDoc={page}
        className="fd-widget-preview__frame"
      />
    </div>
  );
}
