import { ApiError } from "../kit/api-error";

/**
 * Allowed Origins are compared exactly with the browser's Origin header, so they are stored in the form browsers
 * send: `scheme://host[:port]`, lower-case, no path and no default port. `https://shop.example.com/` is accepted
 * and stored without the slash; anything with a path, query or credentials is refused rather than guessed.
 */
export function normaliseOrigins(origins: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of origins) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ApiError("FD300", `"${text}" is not an Origin (scheme://host[:port]).`);
    }
    const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
    if (!(url.protocol === "https:" || url.protocol === "http:") || !bare) {
      throw new ApiError("FD300", `"${text}" is not an Origin (scheme://host[:port]).`);
    }
    out.add(url.origin);
  }
  return [...out];
}

export function normaliseOutboundUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError("FD380", "The outbound URL does not parse.");
  }
  if (!(url.protocol === "https:" || url.protocol === "http:") || url.username || url.password) {
    throw new ApiError("FD380", "The outbound URL must be http(s) without credentials.");
  }
  url.hash = "";
  return url.toString();
}
