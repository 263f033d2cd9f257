import { performance } from "node:perf_hooks";

export interface Timing {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly minMs: number;
  readonly runs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/**
 * Times `fn` after a warm-up. Two contenders are measured interleaved (see `compare`) so that a slow moment
 * of the machine hurts both alike and the ratio stays meaningful.
 */
export function time(fn: () => void, runs: number, warmup = 10): Timing {
  for (let i = 0; i < warmup; i += 1) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    p50Ms: percentile(samples, 0.5),
    p95Ms: percentile(samples, 0.95),
    minMs: samples[0] ?? Number.NaN,
    runs,
  };
}

export function compare(
  subject: () => void,
  baseline: () => void,
  rounds: number,
  perRound = 5,
): { subject: Timing; baseline: Timing } {
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    subject();
    baseline();
  }
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < perRound; i += 1) {
      const t0 = performance.now();
      subject();
      s.push(performance.now() - t0);
    }
    for (let i = 0; i < perRound; i += 1) {
      const t0 = performance.now();
      baseline();
      b.push(performance.now() - t0);
    }
  }
  const summarize = (samples: number[]): Timing => {
    samples.sort((x, y) => x - y);
    return {
      p50Ms: percentile(samples, 0.5),
      p95Ms: percentile(samples, 0.95),
      minMs: samples[0] ?? Number.NaN,
      runs: samples.length,
    };
  };
  return { subject: summarize(s), baseline: summarize(b) };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
