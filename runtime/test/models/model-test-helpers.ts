import type { Logger, ModelRequest } from "@flowdeck/node-library/runtime";
import { createCircuitBreakerRegistry } from "../../src/resilience/circuit-breakers";
import { createOpenAiProvider, type OpenAiProviderOptions } from "../../src/models/openai-provider";
import { ModelError } from "../../src/models/model-errors";

export const TEST_KEY = "sk-test-flowdeck-secret-0123456789";

export interface RecordedLog {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

export function recordingLogger(): Logger & { readonly entries: RecordedLog[] } {
  const entries: RecordedLog[] = [];
  const at = (level: RecordedLog["level"]) => (message: string, fields?: Record<string, unknown>) =>
    entries.push({ level, message, ...(fields ? { fields } : {}) });
  return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A provider on the fake server with its own breakers, so one test's failures never trip another's. */
export function testProvider(baseURL: string, overrides: Partial<OpenAiProviderOptions> = {}) {
  const log = recordingLogger();
  const provider = createOpenAiProvider({
    apiKey: TEST_KEY,
    baseURL,
    baseBackoffMs: 1,
    circuitBreakers: createCircuitBreakerRegistry(),
    log,
    ...overrides,
  });
  return { provider, log };
}

export function ask(text: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return { model: "gpt-4o-mini", messages: [{ role: "user", content: text }], ...extra };
}

export const noSignal = (): AbortSignal => new AbortController().signal;

/** The ModelError a promise rejects with; fails the test if it resolves or throws something else. */
export async function modelErrorOf(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw new Error(`Expected a ModelError, got ${String(error)}`, { cause: error });
  }
  throw new Error("Expected a ModelError, but the call succeeded.");
}
