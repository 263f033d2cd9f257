import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { NextFunction, Request, Response } from "express";

const tracer = trace.getTracer("@flowdeck/server");

/**
 * An HTTP server span per request (HTTP semantic conventions): `METHOD /route/template`, the method, the
 * route pattern, the path without its query string (tokens travel there) and the status. A caller's
 * `traceparent` is continued. Everything after this middleware runs inside the span's context, so a run the
 * request enqueues carries it to the worker. Without an SDK the span is the API's no-op.
 */
export function httpTracing() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const parent = propagation.extract(context.active(), req.headers);
    const path = req.originalUrl.split("?")[0] ?? "";
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": req.method,
          "url.path": path.length > 200 ? path.slice(0, 200) : path,
          "url.scheme": req.protocol,
        },
      },
      parent,
    );
    if (!span.isRecording()) {
      next();
      return;
    }
    res.on("finish", () => {
      // Express sets req.route when a route matched; the route table is mounted at the root (see http-metrics).
      const route = (req.route as { path?: unknown } | undefined)?.path;
      if (typeof route === "string") {
        span.setAttribute("http.route", route);
        span.updateName(`${req.method} ${route}`);
      }
      span.setAttribute("http.response.status_code", res.statusCode);
      const tenantId: unknown = res.locals.auth?.tenantId;
      if (typeof tenantId === "string") span.setAttribute("flowdeck.tenant.id", tenantId);
      if (res.statusCode >= 500) {
        span.setAttribute("error.type", String(res.statusCode));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    });
    // A dropped connection never finishes: end the span anyway.
    res.on("close", () => {
      if (!res.writableFinished) span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
