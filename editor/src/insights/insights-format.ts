// How the Insights page writes its numbers, in one place so tiles, charts and tables agree.

/** A share as a percentage with one decimal; "—" when nothing was counted. */
export const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10}%`);

/** Dollars: cents from $1 (and for zero), four decimals below, where model costs live. */
export const usd = (value: number) => `$${value === 0 || value >= 1 ? value.toFixed(2) : value.toFixed(4)}`;
