// The charts' day axis. The server buckets runs by UTC calendar day and names each bucket `YYYY-MM-DD`; the axis
// labels are made from that text, never through a Date in the browser's zone, and the last day always gets
// its label: uPlot's own time ticks stepped forward from the first day, so a month's last label could read
// "12/6" under data for 12/7.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2026-12-07` → `Dec 7`: a month name, since `12/7` and `7/12` mean different days to different readers. */
export function dayLabel(day: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  const month = match ? MONTHS[Number(match[1]) - 1] : undefined;
  return match && month ? `${month} ${Number(match[2])}` : day;
}

/**
 * The indexes (oldest first) of the days that get a label: the newest, then every `step` days back, where
 * `step` is the smallest of 1, 2, 7, 14, 30… days that keeps the count within `maxLabels`. Counting back from
 * the newest day keeps "today" labelled whatever the period and the chart's width.
 */
export function labelledDays(count: number, maxLabels: number): number[] {
  if (count <= 0) return [];
  const room = Math.max(1, Math.floor(maxLabels));
  const step = [1, 2, 7, 14, 30, 61, 91, 182, 365].find((s) => Math.ceil(count / s) <= room) ?? count;
  const indexes: number[] = [];
  for (let index = count - 1; index >= 0; index -= step) indexes.unshift(index);
  return indexes;
}

/** The first and last day as a reader says them, for the chart's accessible name. */
export function dayRange(days: readonly string[]): string {
  if (days.length === 0) return "no days";
  const first = dayLabel(days[0]!);
  const last = dayLabel(days[days.length - 1]!);
  return first === last ? first : `${first} to ${last}`;
}
