import type { ErrorObject, ValidateFunction } from "ajv";
import type { NextFunction, Request, Response } from "express";
import type { TSchema } from "typebox";
import { createAjv } from "@flowdeck/schemas";
import { ApiError } from "./api-error";

/** Compiles a route's body schema once; the middleware answers 400 FD300 naming the first offending field. */
export function bodyValidator(schema: TSchema) {
  const check: ValidateFunction = createAjv().compile(schema);
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (check(req.body)) return next();
    next(new ApiError("FD300", describe(check.errors?.[0])));
  };
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return "The request body is invalid.";
  const at = error.instancePath || "";
  if (error.keyword === "additionalProperties") {
    const field = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    return `Unknown field ${at}/${field}: this route does not accept it.`;
  }
  if (error.keyword === "required") {
    const field = String((error.params as { missingProperty?: unknown }).missingProperty);
    return `Missing field ${at}/${field}.`;
  }
  if (at === "" && error.keyword === "type") {
    return "The body must be a JSON object (Content-Type: application/json).";
  }
  return `Field ${at} ${error.message ?? "is invalid"}.`;
}
