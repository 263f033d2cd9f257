const DEFAULT_SERVICE_URL = "https://wttr.in";
const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 512 * 1024;

class WeatherError extends Error {
  /** @param {string} message @param {number} [status] */
  constructor(message, status) {
    super(message);
    this.name = "WeatherError";
    // 4xx is the request's fault (an unknown place): retrying cannot help. 5xx and timeouts may pass.
    if (status !== undefined) this.status = status;
  }
}

/**
 * Runs one `acme.weather` step through the run's HTTP client, which applies the SSRF rules and the workspace's
 * allow-list like `tool.http` does; the executor never opens a socket itself.
 *
 * @param {import("@flowdeck/node-library/runtime").ExecutionContext} ctx
 * @param {{ location: string, units?: "metric" | "imperial", days?: number, service_url?: string }} config
 */
export async function weatherExecutor(ctx, config) {
  const location = (await ctx.render(config.location)).trim();
  if (!location) throw new WeatherError("The location rendered to nothing; check the template.");
  const imperial = config.units === "imperial";
  const base = (config.service_url ?? DEFAULT_SERVICE_URL).replace(/\/+$/, "");
  const url = `${base}/${encodeURIComponent(location)}?format=j1${imperial ? "&u" : "&m"}`;
  const response = await ctx.http.request({
    method: "GET",
    url,
    headers: { accept: "application/json" },
    timeoutMs: TIMEOUT_MS,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    followRedirects: true,
    maxRedirects: 3,
    signal: ctx.signal,
  });
  if (response.status >= 400) {
    throw new WeatherError(
      `The weather service answered ${response.status} for "${location}".`,
      response.status,
    );
  }
  let body;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new WeatherError("The weather service did not answer JSON.");
  }
  const current = body?.current_condition?.[0];
  if (!current) throw new WeatherError(`The weather service knows no place called "${location}".`, 404);
  const describe = (entry) => entry?.weatherDesc?.[0]?.value ?? "unknown";
  const forecast = (Array.isArray(body.weather) ? body.weather : [])
    .slice(0, config.days ?? 1)
    .map((day) => ({
      date: day.date,
      min: Number(imperial ? day.mintempF : day.mintempC),
      max: Number(imperial ? day.maxtempF : day.maxtempC),
      conditions: describe(day.hourly?.[4] ?? day.hourly?.[0]),
    }));
  return {
    output: {
      location,
      temperature: Number(imperial ? current.temp_F : current.temp_C),
      conditions: describe(current),
      forecast,
    },
    port: "out",
    // A read, but a call outside the engine: commit it before anything depends on it.
    effect: true,
  };
}
