import type { NextFunction, Request, Response } from "express";
import { ApiError, isApiError } from "../kit/api-error";
import type { Logger } from "../kit/logger";
import { getRequestId } from "../kit/request-id";

export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new ApiError("FD320", `No route ${req.method} ${req.path}.`));
}

interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

/** Everything that goes wrong ends here as `{ error: { code, message, hint } }`; stacks only reach the log. */
export function errorHandler(log: Logger) {
  // Express recognises an error handler by its four parameters.
  return (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      log.error("request failed", {
        requestId: getRequestId(res),
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
      });
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(apiError.headers)) res.setHeader(name, value);
    res.status(apiError.status).json(apiError.toBody());
  };
}

/** The answer for anything thrown while serving a request: an ApiError as it is, a body parser's as FD301/FD302, else FD399. */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  const parserError = (error ?? {}) as BodyParserError;
  if (parserError.type === "entity.too.large") {
    return new ApiError("FD302", "The request body is too large.");
  }
  if (parserError.type === "entity.parse.failed") {
    return new ApiError("FD301", "The request body is not valid JSON.");
  }
  if (typeof parserError.status === "number" && parserError.status >= 400 && parserError.status < 500) {
    return new ApiError("FD301", "The request body could not be read.");
  }
  return new ApiError("FD399", "Internal error.");
}
