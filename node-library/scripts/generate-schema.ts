/**
 * Writes schemas/workflow.schema.json, the published JSON Schema of workflow files (DESIGN §2), and
 * node-library/generated/workflow-validate.js, the same schema as Ajv standalone code (the editor's check under
 * a CSP without 'unsafe-eval'), from the built-in registry. Run after changing a node definition:
 * `pnpm generate:schema`. The output is deterministic, so CI can regenerate it and fail on a diff.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { composeWorkflowSchema } from "@flowdeck/schemas";
import { createBuiltinRegistry } from "../src/index";
import { workflowValidatorCode } from "@flowdeck/schemas/standalone-validator";

const catalog = createBuiltinRegistry().catalog();

const schemaTarget = fileURLToPath(new URL("../../schemas/workflow.schema.json", import.meta.url));
writeFileSync(schemaTarget, JSON.stringify(composeWorkflowSchema(catalog), null, 2) + "\n");
console.log(`wrote ${schemaTarget}`);

const validatorTarget = fileURLToPath(new URL("../generated/workflow-validate.js", import.meta.url));
writeFileSync(validatorTarget, workflowValidatorCode(catalog));
console.log(`wrote ${validatorTarget}`);
