/**
 * Writes schemas/workflow.schema.json, the published JSON Schema of workflow files (DESIGN §2), from the
 * built-in registry. Run after changing a node definition: `pnpm generate:schema`. The output is
 * deterministic, so CI can regenerate it and fail on a diff.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { composeWorkflowSchema } from "@flowdeck/schemas";
import { createBuiltinRegistry } from "../src/index";

const target = fileURLToPath(new URL("../../schemas/workflow.schema.json", import.meta.url));
const schema = composeWorkflowSchema(createBuiltinRegistry().catalog());
writeFileSync(target, JSON.stringify(schema, null, 2) + "\n");
console.log(`wrote ${target}`);
