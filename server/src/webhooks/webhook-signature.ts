import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures, Stripe-style: `Flowdeck-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw
 * body>">`. Several `v1=` entries are allowed (a sender mid-rotation signs with both secrets). The same scheme
 * signs our outbound deliveries, so receivers verify them with the channel secret.
 */
export const SIGNATURE_HEADER = "flowdeck-signature";
export const MESSAGE_ID_HEADER = "flowdeck-message-id";

export function signPayload(secret: string, timestampSeconds: number, body: string | Buffer): string {
  const mac = createHmac("sha256", secret).update(`${timestampSeconds}.`).update(body).digest("hex");
  return `t=${timestampSeconds},v1=${mac}`;
}

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "missing" | "malformed" | "mismatch" }
  // Which side of the window the timestamp fell: a sender's fix differs (re-sign a retry vs. set its clock).
  | { readonly ok: false; readonly reason: "stale"; readonly future: boolean };

export function verifySignature(
  secret: string,
  header: string | undefined,
  body: Buffer,
  options: { readonly nowSeconds: number; readonly toleranceSeconds: number },
): SignatureCheck {
  if (!header) return { ok: false, reason: "missing" };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const [name, value = ""] = part.trim().split("=", 2);
    if (name === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === "v1" && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: "malformed" };
  // Checked before the MAC is computed, and both directions: a timestamp from the future is as suspect.
  if (Math.abs(options.nowSeconds - timestamp) > options.toleranceSeconds)
    return { ok: false, reason: "stale", future: timestamp > options.nowSeconds };
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
  const match = candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, "hex"), expected));
  return match ? { ok: true } : { ok: false, reason: "mismatch" };
}
