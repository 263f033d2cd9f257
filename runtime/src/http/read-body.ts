import { pipeline, Transform, type Readable } from "node:stream";
import { TextDecoder } from "node:util";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { HttpError } from "./http-errors";

export interface BodyLimits {
  readonly maxResponseBytes: number;
  /** For messages: where the body came from, without the query. */
  readonly target: string;
}

function decoderFor(contentEncoding: string): Transform | undefined {
  switch (contentEncoding.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}

function textDecoder(contentType: string): TextDecoder {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8");
  } catch {
    // An unknown label (a typo on the server) decodes as UTF-8 rather than failing a readable response.
    return new TextDecoder("utf-8");
  }
}

function tooLarge(limits: BodyLimits, detail: string): HttpError {
  return new HttpError(
    "FD242",
    `The response from ${limits.target} ${detail}, more than max_response_bytes (${limits.maxResponseBytes}).`,
  );
}

/**
 * Stops reading a body and closes its connection. Destroying undici's body stream emits an abort error that
 * nobody is left to read, so it is swallowed here instead of surfacing as an unhandled error.
 */
export function discardBody(body: Readable): void {
  body.on("error", () => undefined);
  body.destroy();
}

/** Counts the bytes received before decompression, failing the pipeline past the cap. */
function byteLimiter(limits: BodyLimits): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > limits.maxResponseBytes) callback(tooLarge(limits, "was cut off"));
      else callback(null, chunk);
    },
  });
}

/**
 * Reads a response body as text, holding at most `maxResponseBytes` of it: the stream is destroyed as soon as
 * the count would pass the cap, so a 10 GB answer costs one chunk of memory, not 10 GB. A declared
 * Content-Length over the cap fails before reading anything. Compressed bodies are decoded while streaming and
 * the cap counts both the bytes received and the bytes decoded, so a small gzip bomb fails the same way.
 */
export async function readBodyText(
  body: Readable,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  limits: BodyLimits,
): Promise<{ readonly text: string; readonly bytes: number }> {
  const cap = limits.maxResponseBytes;
  const declared = Number(headerValue(headers["content-length"]));
  if (Number.isFinite(declared) && declared > cap) {
    discardBody(body);
    throw tooLarge(limits, `declares ${declared} bytes`);
  }
  const decoder = decoderFor(headerValue(headers["content-encoding"]));
  const source: Readable = decoder ? pipeline(body, byteLimiter(limits), decoder, () => undefined) : body;
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (bytes + chunk.length > cap) throw tooLarge(limits, "was cut off");
      chunks.push(chunk);
      bytes += chunk.length;
    }
  } catch (error) {
    discardBody(body);
    if (source !== body) discardBody(source);
    if (error instanceof HttpError) throw error;
    if (decoder && (error as { code?: string }).code?.startsWith("Z_")) {
      throw new HttpError("FD245", `The response from ${limits.target} is not valid compressed data.`);
    }
    throw error;
  }
  return {
    text: textDecoder(headerValue(headers["content-type"])).decode(Buffer.concat(chunks, bytes)),
    bytes,
  };
}
