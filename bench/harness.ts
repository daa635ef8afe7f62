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

export function printTable(rows: Row[]): void {
  const header = ['row', 'figure', 'baseline (same run)', 'ratio', 'target', '', 'p50/p99 ms (baseline)'];
  const ms = (r: Row) => (r.latency ? `${r.latency.p50}/${r.latency.p99} (${r.latency.baseP50}/${r.latency.baseP99})` : '');
  const ratio = (r: Row) => (Number.isNaN(r.ratio) ? '—' : r.ratio >= 10 ? `${r.ratio.toFixed(0)}×` : `${r.ratio.toFixed(2)}×`);
  const baseline = (r: Row) => (Number.isNaN(r.ratio) ? '—' : `${fmt(r.baseline)} ${r.unit}`);
  const lines = rows.map((r) => [r.row, `${fmt(r.figure)} ${r.unit}`, baseline(r), ratio(r), r.target, r.met ? 'met' : 'NOT MET', ms(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(line(l));
  for (const r of rows) if (r.notes) console.log(`  ${r.row}: ${r.notes}`);
}
