import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from "@opentelemetry/api";
import type { IncomingHttpHeaders } from "node:http";
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
    const { span, within } = startHttpSpan(req.method, req.originalUrl, req.headers, req.protocol);
    if (!span.isRecording()) {
      next();
      return;
    }
    res.on("finish", () => {
      // Express sets req.route when a route matched; the route table is mounted at the root (see http-metrics).
      const route = (req.route as { path?: unknown } | undefined)?.path;
      finishHttpSpan(span, {
        method: req.method,
        route: typeof route === "string" ? route : undefined,
        status: res.statusCode,
        tenantId: res.locals.auth?.tenantId as unknown,
      });
    });
    // A dropped connection never finishes: end the span anyway.
    res.on("close", () => {
      if (!res.writableFinished) span.end();
    });
    context.with(within, next);
  };
}

/** The request's server span (a caller's traceparent continued) and the context to serve it in. */
export function startHttpSpan(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  scheme: string,
): { span: Span; within: Context } {
  const parent = propagation.extract(context.active(), headers);
  const path = url.split("?")[0] ?? "";
  const span = tracer.startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        "http.request.method": method,
        "url.path": path.length > 200 ? path.slice(0, 200) : path,
        "url.scheme": scheme,
      },
    },
    parent,
  );
  return { span, within: trace.setSpan(parent, span) };
}

/** Names the span by its route pattern, records the status (5xx as an error) and the tenant, and ends it. */
export function finishHttpSpan(
  span: Span,
  answered: { method: string; route: string | undefined; status: number; tenantId: unknown },
): void {
  if (answered.route !== undefined) {
    span.setAttribute("http.route", answered.route);
    span.updateName(`${answered.method} ${answered.route}`);
  }
  span.setAttribute("http.response.status_code", answered.status);
  if (typeof answered.tenantId === "string") span.setAttribute("flowdeck.tenant.id", answered.tenantId);
  if (answered.status >= 500) {
    span.setAttribute("error.type", String(answered.status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
