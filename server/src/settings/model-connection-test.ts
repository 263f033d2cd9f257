import type { SafeHttpClient } from "@flowdeck/node-library/runtime";

/** The model a test asks when the settings name none: the cheapest common OpenAI chat model. */
export const TEST_MODEL_FALLBACK = "gpt-4o-mini";
export const DEFAULT_MODEL_BASE_URL = "https://api.openai.com/v1";
const TEST_TIMEOUT_MS = 15_000;
const TEST_MAX_RESPONSE_BYTES = 256 * 1024;

export interface ConnectionTestResult {
  readonly ok: boolean;
  /** The HTTP status the provider answered, when it answered. */
  readonly status?: number;
  readonly model: string;
  /** FD240 refused address, FD388 provider said no, FD389 unreachable or not OpenAI-compatible. */
  readonly code?: string;
  readonly message: string;
}

/**
 * A real one-token chat completion against the base URL, through the tenant's SSRF-safe HTTP client (its
 * allow-list decides whether a private or loopback address may be reached, checked at connect time; metadata
 * never). A chat call rather than GET /models: every OpenAI-compatible server has it, not all list models.
 * The key goes only in the Authorization header and is never part of the result or a log line.
 */
export async function testModelConnection(
  http: SafeHttpClient,
  target: { readonly baseUrl: string; readonly apiKey: string; readonly model: string },
): Promise<ConnectionTestResult> {
  const url = `${target.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const { model } = target;
  try {
    const response = await http.request({
      method: "POST",
      url,
      headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "ping" }], max_tokens: 1 }),
      timeoutMs: TEST_TIMEOUT_MS,
      maxResponseBytes: TEST_MAX_RESPONSE_BYTES,
      followRedirects: false,
      maxRedirects: 0,
      signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
    });
    if (response.status >= 200 && response.status < 300) {
      const json = safeJson(response.body) as { choices?: unknown } | undefined;
      if (!json || !Array.isArray(json.choices))
        return {
          ok: false,
          status: response.status,
          model,
          code: "FD389",
          message: "The answer is not an OpenAI chat completion.",
        };
      return { ok: true, status: response.status, model, message: `Connected: ${model} answered.` };
    }
    const error = (safeJson(response.body) as { error?: { message?: unknown } } | undefined)?.error;
    const said = typeof error?.message === "string" ? `: ${error.message.slice(0, 200)}` : "";
    return {
      ok: false,
      status: response.status,
      model,
      code: "FD388",
      message: `The provider answered ${response.status}${said}`,
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      model,
      code: code === "FD240" ? "FD240" : "FD389",
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
