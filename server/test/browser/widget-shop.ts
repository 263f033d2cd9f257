// A shop page that embeds this checkout's widget (opened at once, `data-open`) and serves widget.js itself, so the
// widget's socket goes to the same server: the widget tests answer its upgrades however they need.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";

const WIDGET = readFileSync(new URL("../../widget/widget.js", import.meta.url), "utf8");

export function serveWidgetShop(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === "/widget.js") {
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(WIDGET);
    return;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" })
    .end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body>
<script src="/widget.js" data-channel="fdp.x.y.z" data-open></script></body></html>`);
}
