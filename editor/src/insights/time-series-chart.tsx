// One day-by-day chart: uPlot draws it on a canvas (small, fast, no DOM per point); the same numbers are in a
// table under "Show the numbers", so screen readers and copy-paste get them too.
import { useEffect, useId, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { dayLabel, dayRange, labelledDays } from "./day-axis";

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
  /** Drawn against the right-hand axis (e.g. dollars next to tokens). */
  readonly rightAxis?: boolean;
  readonly format?: (value: number) => string;
}

export interface TimeSeriesChartProps {
  readonly title: string;
  readonly description: string;
  /** `YYYY-MM-DD`, oldest first, one per point. */
  readonly days: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly testId: string;
  /** The left axis's unit ("runs", "tokens"); the legend names the series. */
  readonly unit: string;
}

const HEIGHT_PX = 220;
const WHOLE_NUMBER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6, 1e7];
// About one "Dec 12" per this many CSS pixels, with room between labels.
const PX_PER_DAY_LABEL = 64;

export function TimeSeriesChart({ title, description, days, series, testId, unit }: TimeSeriesChartProps) {
  const id = useId();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const right = series.find((s) => s.rightAxis);
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height: HEIGHT_PX,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      // x is the day's index in `days`: its label comes from the server's day text (day-axis.ts), so no clock
      // or zone of the browser can shift it.
      scales: {
        x: { time: false, range: () => [0, Math.max(1, days.length - 1)] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        {
          splits: (u) => labelledDays(days.length, u.bbox.width / uPlot.pxRatio / PX_PER_DAY_LABEL),
          values: (_u, splits) => splits.map((index) => dayLabel(days[index] ?? "")),
          grid: { show: false },
        },
        {
          label: unit,
          // The left axis counts things (runs, decisions, tokens): whole-number ticks only.
          incrs: WHOLE_NUMBER_STEPS,
          size: 56,
        },
        ...(right
          ? [
              {
                scale: "right",
                side: 1 as const,
                grid: { show: false },
                size: 64,
                values: (_u: uPlot, ticks: number[]) => ticks.map((t) => (right.format ?? String)(t)),
              },
            ]
          : []),
      ],
      series: [
        {
          label: "Day",
          value: (_u: uPlot, index: number | null) => (index == null ? "—" : dayLabel(days[index] ?? "")),
        },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          scale: s.rightAxis ? "right" : "y",
          // A dot per day only over a week; a month of dots at zero is noise.
          points: { show: days.length <= 7 },
          value: (_u: uPlot, value: number | null) => (value == null ? "—" : (s.format ?? String)(value)),
        })),
      ],
    };
    if (right) options.scales!.right = { range: (_u, _min, max) => [0, Math.max(0.01, max)] };
    const data: uPlot.AlignedData = [days.map((_day, index) => index), ...series.map((s) => [...s.values])];
    const chart = new uPlot(options, data, element);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT_PX }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [days, series, unit]);

  return (
    <figure className="fd-card fd-chart" data-testid={testId} aria-labelledby={`${id}-title`}>
      <figcaption>
        <h2 id={`${id}-title`} className="fd-section-title">
          {title}
        </h2>
        <p className="fd-muted">{description}</p>
      </figcaption>
      <div
        ref={host}
        className="fd-chart__plot"
        role="img"
        aria-label={`${title}: chart of ${dayRange(days)} (UTC days), numbers below`}
      />
      <details className="fd-chart__numbers">
        <summary>Show the numbers</summary>
        <table className="fd-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th key={s.label} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((day, index) => (
              <tr key={day}>
                <th scope="row">{day}</th>
                {series.map((s) => (
                  <td key={s.label}>{(s.format ?? String)(s.values[index] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
