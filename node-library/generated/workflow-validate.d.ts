// Types of workflow-validate.js, the built-in catalog's schema as Ajv standalone code (`pnpm generate:schema`).
import type { CompiledSchemaCheck } from "@flowdeck/schemas";

/** Checks a workflow document against the built-in catalog's composed schema without compiling code. */
export declare const validate: CompiledSchemaCheck;
export default validate;
