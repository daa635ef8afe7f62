// Timing helpers for benchmarks: both sides are measured in the same run, in alternating rounds,
// and compared as a ratio of medians (machines are shared and noisy; absolute numbers drift).

export interface Row {
  row: string;
  figure: number;
  baseline: number;
  unit: string;
  ratio: number;
  target: string;
  met: boolean;
  /** Latency percentiles in milliseconds, for rows measured over HTTP. */
  latency?: { p50: number; p99: number; baseP50: number; baseP99: number };
  /** Server CPU time per request (every thread of the process) in microseconds, ours and the baseline's. */
  cpu?: { ours: number | undefined; base: number | undefined };
  notes?: string;
}

/** Operations per second of fn over repeated passes of n operations, for about ms milliseconds. */
export function opsPerSecond(fn: (i: number) => void, n: number, ms: number): number {
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < n; i++) fn(i);
    done += n;
    elapsed = performance.now() - start;
  }
  return (done / elapsed) * 1000;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * Runs a and b alternately for `rounds` rounds (after one warm-up each); returns both medians and
 * the median of the rounds' ratios a/b (a slow spell of a shared machine tends to touch both runs
 * of one round alike).
 */
export function abRounds(a: () => number, b: () => number, rounds = 5): { a: number; b: number; ratio: number } {
  a();
  b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(a());
    bs.push(b());
  }
  return { a: median(as), b: median(bs), ratio: median(as.map((x, i) => x / (bs[i] ?? Number.NaN))) };
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** Whole microseconds, or ? when the figure could not be read. */
export const micros = (n: number | undefined) => (n === undefined ? '?' : Math.round(n).toString());

export function printTable(rows: Row[]): void {
  const header = ['row', 'figure', 'baseline (same run)', 'ratio', 'server CPU/req µs (baseline)', 'target', '', 'p50/p99 ms (baseline)'];
  const ms = (r: Row) => (r.latency ? `${r.latency.p50}/${r.latency.p99} (${r.latency.baseP50}/${r.latency.baseP99})` : '');
  const cpu = (r: Row) => (r.cpu ? `${micros(r.cpu.ours)} (${micros(r.cpu.base)})` : '');
  const ratio = (r: Row) => (Number.isNaN(r.ratio) ? '—' : r.ratio >= 10 ? `${r.ratio.toFixed(0)}×` : `${r.ratio.toFixed(2)}×`);
  const baseline = (r: Row) => (Number.isNaN(r.ratio) ? '—' : `${fmt(r.baseline)} ${r.unit}`);
  const lines = rows.map((r) => [r.row, `${fmt(r.figure)} ${r.unit}`, baseline(r), ratio(r), cpu(r), r.target, r.met ? 'met' : 'NOT MET', ms(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(line(l));
  for (const r of rows) if (r.notes) console.log(`  ${r.row}: ${r.notes}`);
}

/** How far a row's baseline may move from the previous run's before the run counts as noisy. */
export const BASELINE_DRIFT = 0.3;

/**
 * Rows whose baseline ran unusually slow or fast against the same row of an earlier run: the
 * baseline is the yardstick, so a yardstick that moved this much says the machine was busy (or
 * idle) in an unusual way and the ratios of this run deserve a second run.
 */
export function baselineWarnings(rows: readonly Row[], previous: readonly Row[]): string[] {
  const warnings: string[] = [];
  for (const r of rows) {
    const before = previous.find((p) => p.row === r.row)?.baseline;
    if (before === undefined || !(before > 0) || !(r.baseline > 0)) continue;
    const change = r.baseline / before;
    if (Math.abs(change - 1) > BASELINE_DRIFT) {
      warnings.push(`WARNING ${r.row}: the baseline ran ${change.toFixed(2)}× the previous run's (${fmt(r.baseline)} against ${fmt(before)} ${r.unit}): the machine was unusually ${change < 1 ? 'slow' : 'fast'}, repeat the run before trusting its ratio`);
    }
  }
  return warnings;
}
