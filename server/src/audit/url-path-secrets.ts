/**
 * Secrets in a URL's path, for the audit log (url-redaction.ts handles userinfo, query and fragment). Many
 * webhook receivers put the credential in the path itself: whoever knows the URL can post to it. So:
 *
 * - On the hosts of services known to do this, every path segment except the service's fixed words is a secret
 *   (`https://hooks.slack.com/services/REDACTED/REDACTED/REDACTED`): KNOWN_SERVICES below.
 * - Elsewhere a segment is a secret when it looks like a token (isTokenSegment), so that ordinary readable paths
 *   (`/api/v1/orders/12345`, `/customers/acme-corp/tickets`) stay as written and the log still says where
 *   data goes.
 *
 * Pure and idempotent: the marker itself never looks like a token, so redacting twice changes nothing (rows
 * written redacted are redacted again when read).
 */

/** A service whose webhook URLs carry their credential in the path. */
interface KnownService {
  /** The lower-case host name, without port. */
  readonly host: (host: string) => boolean;
  /** The segments this service's URLs share (`services`, `webhooks`): kept, since they name the service's API. */
  readonly keeps: (segment: string) => boolean;
}

const hostIs =
  (...domains: string[]) =>
  (host: string) =>
    domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
const words =
  (...kept: string[]) =>
  (segment: string) =>
    kept.includes(segment);

/**
 * Checked against each service's documented URL shape. Telegram keeps its method names (`sendMessage`), which
 * say what was called; only the `bot<token>` segment goes.
 */
const KNOWN_SERVICES: readonly KnownService[] = [
  // https://hooks.slack.com/services/T…/B…/<secret>, /workflows/…, /triggers/…
  { host: hostIs("hooks.slack.com"), keeps: words("services", "workflows", "triggers") },
  // https://discord.com/api/webhooks/<id>/<token>[/slack|/github], /api/v10/webhooks/…
  {
    host: hostIs("discord.com", "discordapp.com"),
    keeps: (segment) => /^v\d{1,2}$/.test(segment) || words("api", "webhooks", "slack", "github")(segment),
  },
  // https://<org>.webhook.office.com/webhookb2/<uuid>@<uuid>/IncomingWebhook/<hex>/<uuid>, and the older
  // outlook.office.com/webhook/… form.
  {
    host: hostIs("webhook.office.com", "outlook.office.com", "outlook.office365.com"),
    keeps: words("webhook", "webhookb2", "IncomingWebhook"),
  },
  // Power Automate and Logic Apps: …/workflows/<id>/triggers/manual/paths/invoke?…&sig=<secret> (the query is
  // redacted anyway; the workflow id and any custom trigger or relative path go too).
  {
    host: hostIs("logic.azure.com", "powerplatform.com"),
    keeps: words(
      "workflows",
      "triggers",
      "manual",
      "paths",
      "invoke",
      "powerautomate",
      "automations",
      "direct",
    ),
  },
  // https://api.telegram.org/bot<id>:<token>/sendMessage, /file/bot<token>/<path>
  { host: hostIs("api.telegram.org"), keeps: (segment) => !/^bot/i.test(segment) },
  // https://hooks.zapier.com/hooks/catch/<account>/<key>/
  { host: hostIs("hooks.zapier.com"), keeps: words("hooks", "catch", "standard") },
  // https://hook.eu1.make.com/<token> (Make, formerly Integromat)
  { host: (host) => /^hook\.([a-z0-9-]+\.)?(make|integromat)\.com$/.test(host), keeps: () => false },
  // https://maker.ifttt.com/trigger/<event>/with/key/<key>, …/json/with/key/<key>
  { host: hostIs("maker.ifttt.com"), keeps: words("trigger", "json", "with", "key") },
];

/**
 * The generic test, for hosts not listed above. A segment is a token when, read without percent-encoding and
 * without the `…` of a URL cut to fit the row, it
 * 1. contains a UUID (webhook.site, n8n, Teams: a random UUID is often the whole credential), or
 * 2. starts `bot<digits>:` (a Telegram-style bot token on a self-hosted Bot API server), or
 * 3. has at least MIN_TOKEN_CHARS letters and digits in all (numbers standing alone between separators, such
 *    as a date's, not counted) and reads as random rather than as words:
 *    a. a run of that many hex digits mixing letters and digits (hashes, hex keys), or
 *    b. no lower-case letter, and a run of that many with at least 4 capitals and a digit (base32 keys), or
 *    c. with lower-case letters: cut into pieces at each change between letters and digits and at each
 *       capital that starts a word (`getHTTPResponse2` → get, HTTP, Response, 2), the pieces average fewer
 *       than MIN_WORD_CHARS characters (words are longer; random text changes class every 2 characters or so),
 *       or one run alternates between letters and digits at least DIGIT_GROUPS times each
 *       (`k3jhd5lmn2pqx9…`).
 * A segment with fewer letters and digits than that, or of lower-case letters only, is never a token.
 *
 * Measured 2026-12-07 on random strings (4,000 per alphabet and length) and 20,000 generated readable
 * segments (2–5 words from a list of 200 path words, joined camelCase, PascalCase, kebab, snake or plain, with
 * an optional v2, year or number). Missed: hex tokens never (unless all digits), base62 and upper-case base32
 * ≤ 3.5% from 16 characters, base64url about 1% from 20, lower-case base36 26% at 16 characters, 5% at 24,
 * under 1% from 32; lower-case base32 53% at 16, 7% at 32; letters-only tokens 12–26% (services known to use
 * such tokens are listed above). Taken for tokens: 0.12% of the readable segments (short words with a
 * version: `tickets_for_id_and_v2`). Rejected: an average of 3.5 (2.7% of readable segments taken) and a
 * minimum of 20 characters (0.02% of readable segments taken, but every 16–19 character token missed).
 */
export const MIN_TOKEN_CHARS = 16;
const MIN_WORD_CHARS = 3;
const DIGIT_GROUPS = 3;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const BOT_TOKEN = /^bot\d+:/i;
const RUNS = /[A-Za-z0-9]+/g;
// An acronym (capitals not followed by a lower-case letter), a word with an optional capital, or a number.
const PIECES = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g;

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

export function isTokenSegment(segment: string): boolean {
  const text = decodeSegment(segment.endsWith("…") ? segment.slice(0, -1) : segment);
  if (UUID.test(text) || BOT_TOKEN.test(text)) return true;
  // Numbers standing alone between separators (dates, versions, ids: `gpt-4o-2024-08-06`) are structure.
  const runs = (text.match(RUNS) ?? []).filter((run) => !/^\d+$/.test(run));
  const chars = runs.reduce((sum, run) => sum + run.length, 0);
  if (chars < MIN_TOKEN_CHARS) return false;
  const long = runs.filter((run) => run.length >= MIN_TOKEN_CHARS);
  if (long.some((run) => /^[0-9a-f]+$/i.test(run) && /[a-f]/i.test(run) && /\d/.test(run))) return true;
  if (!/[a-z]/.test(text)) return long.some((run) => count(run, /[A-Z]/g) >= 4 && /\d/.test(run));
  if (!/[A-Z\d]/.test(text)) return false;
  const pieces = runs.reduce((sum, run) => sum + count(run, PIECES), 0);
  if (chars / pieces < MIN_WORD_CHARS) return true;
  return long.some((run) => count(run, /\d+/g) >= DIGIT_GROUPS && count(run, /[A-Za-z]+/g) >= DIGIT_GROUPS);
}

/** `/a/b/c` with each secret segment replaced by `marker`; `host` as the URL has it (any case, maybe a port). */
export function redactPathSecrets(host: string, path: string, marker: string): string {
  if (path === "" || path === "/") return path;
  const name = hostName(host);
  const service = KNOWN_SERVICES.find((known) => known.host(name));
  return path
    .split("/")
    .map((segment) => {
      if (segment === "" || segment === marker) return segment;
      const secret = service ? !service.keeps(segment) : isTokenSegment(segment);
      return secret ? marker : segment;
    })
    .join("/");
}

/** `Hooks.Slack.com:443` → `hooks.slack.com`; `[::1]:8080` → `[::1]`. */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1);
  const colon = lower.indexOf(":");
  return (colon === -1 ? lower : lower.slice(0, colon)).replace(/\.$/, "");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
