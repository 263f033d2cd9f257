/**
 * What a run was about, for the Runs list (as Intercom's and Dify's logs show the first message): the message that
 * started it (`input.message`: a chat message, on the widget, a chat webhook, HTTP chat or the editor's test chat),
 * else its input as JSON text (a webhook flow's payload, an API caller's fields). Read from `runs.input`, which
 * the run row keeps from its start: no journal read and no query per listed run. A successful run whose flow keeps
 * no trace (`settings.trace: none`) stored `{}` and has no preview.
 */

/** The longest preview, in characters, its closing "…" included when the text was cut. */
export const RUN_PREVIEW_CHARS = 120;

/**
 * Characters read from the database per run: spare room for runs of spaces and line breaks, which collapse to
 * one space, without shipping a long message or a large payload to the server for a line of it.
 */
export const RUN_PREVIEW_READ_CHARS = RUN_PREVIEW_CHARS * 4;

/**
 * The raw preview of the run row `runs` in SQL. Used in the list's outer query, over the page's rows only: its
 * inner query still finds and orders the page through an index, and no run outside the page is read for it.
 */
export const RUN_PREVIEW_SQL = `CASE
         WHEN jsonb_typeof(runs.input -> 'message') = 'string'
           THEN left(runs.input ->> 'message', ${RUN_PREVIEW_READ_CHARS})
         WHEN runs.input = '{}'::jsonb THEN NULL
         ELSE left(runs.input::text, ${RUN_PREVIEW_READ_CHARS})
       END`;

/**
 * One line of at most RUN_PREVIEW_CHARS characters (code points, as PostgreSQL's left() counts, so an emoji is
 * never split) from what RUN_PREVIEW_SQL read; null when there is nothing to show.
 */
export function clipPreview(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const oneLine = raw.replace(/\s+/g, " ").trim();
  if (oneLine === "") return null;
  const chars = Array.from(oneLine);
  // At the read limit the database may have had more: say so with "…" even when what is left fits.
  const readAll = Array.from(raw).length < RUN_PREVIEW_READ_CHARS;
  if (readAll && chars.length <= RUN_PREVIEW_CHARS) return oneLine;
  return `${chars
    .slice(0, RUN_PREVIEW_CHARS - 1)
    .join("")
    .trimEnd()}…`;
}
