import type { CodeOptions } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under some loaders its default export is nested once more.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/**
 * The one Ajv configuration Flowdeck uses for workflow documents and node configs: JSON Schema 2020-12,
 * strict (unknown keywords are bugs), every error at once, and `discriminator` so a node's `type` picks its
 * config schema directly. `code` is only for the build step that writes standalone validator code
 * (`code: { source: true, esm: true }`), so that code is made with exactly these options.
 */
export function createAjv(code?: CodeOptions): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    discriminator: true,
    verbose: true,
    ...(code === undefined ? {} : { code }),
  });
  addFormats(ajv);
  return ajv;
}
