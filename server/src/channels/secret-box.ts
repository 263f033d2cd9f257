import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { join } from "node:path";
import { loadSecretFile, secretsDirFor } from "../config/secret-files";
import { StartupError } from "../config/startup-error";

/**
 * Channel secrets at rest (DESIGN.md §5): AES-256-GCM with a server key, stored as `v1:<iv>:<tag>:<ciphertext>`
 * (base64url). The AAD names the row (tenant and channel id), so a ciphertext copied into another row does not
 * decrypt. Webhook secrets must be recoverable (we sign and verify with them), so they cannot be hashed.
 */
export interface SecretBox {
  seal(plaintext: string, aad: string): string;
  /** Throws when the box was altered, moved to another row, or sealed under another key. */
  open(box: string, aad: string): string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.byteLength !== KEY_BYTES) throw new Error(`The channel secret key must be ${KEY_BYTES} bytes.`);
  return {
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(aad, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return ["v1", iv, cipher.getAuthTag(), body]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(":");
    },
    open(box, aad) {
      const [version, iv, tag, body] = box.split(":");
      if (version !== "v1" || !iv || !tag || body === undefined)
        throw new Error("Not a sealed channel secret.");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(aad, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
        "utf8",
      );
    },
  };
}

/**
 * A key derived from the JWT secret (HKDF-SHA256, own label): what tests and embedded setups use when no channel
 * key is configured. Rotating the JWT secret then makes stored webhook secrets unreadable, so production sets
 * FLOWDECK_CHANNEL_SECRET_KEY (see loadChannelSecretKey).
 */
export function deriveChannelSecretKey(jwtSecret: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", jwtSecret, "flowdeck", "flowdeck channel secrets v1", KEY_BYTES));
}

/**
 * FLOWDECK_CHANNEL_SECRET_KEY (32 bytes as base64 / base64url / 64 hex digits), else, outside production, a key
 * generated once into the secrets folder (app/secret-files.ts: outside the working and data folders, 0600) like
 * the development JWT secret; a key older versions kept in the data folder is moved there, so sealed secrets
 * stay readable.
 */
export async function loadChannelSecretKey(options: {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly warn: (message: string, fields?: Record<string, unknown>) => void;
}): Promise<Uint8Array> {
  const given = options.env.FLOWDECK_CHANNEL_SECRET_KEY?.trim();
  if (given) return parseKey(given, "FLOWDECK_CHANNEL_SECRET_KEY");
  if (options.env.NODE_ENV === "production") {
    throw new StartupError(
      "FD397",
      "FLOWDECK_CHANNEL_SECRET_KEY is required when NODE_ENV=production (32 random bytes, base64).",
    );
  }
  const dir = secretsDirFor(options.env, options.dataDir);
  const text = await loadSecretFile({
    dir,
    name: "channel-secret-key",
    legacyDir: options.dataDir,
    generate: () => randomBytes(KEY_BYTES).toString("base64url"),
    warn: options.warn,
    generatedMessage: "FLOWDECK_CHANNEL_SECRET_KEY is not set; generated a development key",
  });
  return parseKey(text, join(dir, "channel-secret-key"));
}

function parseKey(text: string, source: string): Uint8Array {
  const bytes = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64url");
  if (bytes.byteLength !== KEY_BYTES) {
    throw new StartupError("FD397", `The channel secret key in ${source} must be ${KEY_BYTES} bytes.`);
  }
  return new Uint8Array(bytes);
}
