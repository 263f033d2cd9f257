// The copyable examples of a webhook channel's how-to. They follow server/src/webhooks/webhook-signature.ts:
// Flowdeck-Signature = t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">, keyed with the whole
// whsec_… secret. The secret stays out of them (it is shown once, on create and rotate): both read it from
// FLOWDECK_WEBHOOK_SECRET, so a copied example never carries it into a chat, a ticket or shell history.

export const SIGNATURE_HEADER = "Flowdeck-Signature";
export const MESSAGE_ID_HEADER = "Flowdeck-Message-Id";
export const SECRET_VARIABLE = "FLOWDECK_WEBHOOK_SECRET";

const EXAMPLE_BODY = '{"text":"Hello, where is my order?"}';

/**
 * The channel's absolute URL from where this editor reaches the API. The server's own `webhookUrl` (on
 * every channel answer) comes first; this is for an answer without one, from a server older than the field.
 */
export function webhookUrlOf(apiBaseUrl: string, channelId: string, pageUrl: string): string {
  return new URL(`${apiBaseUrl}/webhooks/${channelId}`, pageUrl).href;
}

/** Single quotes for the shell: a URL never needs more, but a quote in it must not end the argument. */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * curl with the signature computed by openssl. `awk '{print $NF}'` takes the digest from every openssl's output
 * ("HMAC-SHA2-256(stdin)= …", "(stdin)= …" or the bare hex); printf '%s' and --data-raw keep the bytes signed
 * and sent identical (no trailing newline, no @file reading).
 */
export function curlExample(url: string): string {
  return [
    "# The signing secret shown when the channel was created or rotated:",
    `export ${SECRET_VARIABLE}='whsec_…'`,
    "",
    `BODY='${EXAMPLE_BODY}'`,
    "TS=$(date +%s)",
    `SIG=$(printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$${SECRET_VARIABLE}" | awk '{print $NF}')`,
    "# A new id per message; send the same id again when you retry that message.",
    'MSG_ID="msg-$(openssl rand -hex 12)"',
    `curl -sS -i -X POST ${shellQuoted(url)} \\`,
    "  -H 'Content-Type: application/json' \\",
    `  -H "${SIGNATURE_HEADER}: t=$TS,v1=$SIG" \\`,
    `  -H "${MESSAGE_ID_HEADER}: $MSG_ID" \\`,
    '  --data-raw "$BODY"',
  ].join("\n");
}

/** The same call from Node.js 18+ (global fetch, node:crypto), as an ES module. */
export function nodeExample(url: string): string {
  return [
    `// send.mjs — run: ${SECRET_VARIABLE}='whsec_…' node send.mjs`,
    'import { createHmac, randomUUID } from "node:crypto";',
    "",
    `const url = ${JSON.stringify(url)};`,
    `const secret = process.env.${SECRET_VARIABLE};`,
    'const body = JSON.stringify({ text: "Hello, where is my order?" });',
    "const t = Math.floor(Date.now() / 1000);",
    'const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");',
    "// Keep the id with the message: a retry sends the same one and never runs twice.",
    "const messageId = randomUUID();",
    "",
    "const res = await fetch(url, {",
    '  method: "POST",',
    "  headers: {",
    '    "Content-Type": "application/json",',
    `    "${SIGNATURE_HEADER}": \`t=\${t},v1=\${v1}\`,`,
    `    "${MESSAGE_ID_HEADER}": messageId,`,
    "  },",
    "  body,",
    "});",
    "console.log(res.status, await res.json());",
  ].join("\n");
}
