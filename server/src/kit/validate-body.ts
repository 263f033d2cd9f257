import type { ValidateFunction } from "ajv";
import type { NextFunction, Request, Response } from "express";
import type { TSchema } from "typebox";
import { createAjv } from "@flowdeck/schemas";
import { ApiError } from "./api-error";
import { ALLOWED_KEYWORD, describeBodyError } from "./body-problem";

/** Ajv for route bodies: the workflow language's (strict, verbose), plus the kit's wording annotation. */
export function createBodyAjv(): ReturnType<typeof createAjv> {
  const ajv = createAjv();
  ajv.addKeyword({ keyword: ALLOWED_KEYWORD, schemaType: "string" });
  return ajv;
}

/**
 * Compiles a route's body schema once; the middleware answers 400 FD300 with the first offending field named
 * as the editor names it (body-problem.ts), and its pointer, keyword and parameters in `details`.
 */
export function bodyValidator(schema: TSchema) {
  const check: ValidateFunction = createBodyAjv().compile(schema);
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (check(req.body)) return next();
    const { message, details } = describeBodyError(check.errors ?? [], schema);
    next(new ApiError("FD300", message, { details }));
  };
}
