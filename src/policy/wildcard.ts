// Glob matching for policy patterns: `*` matches any run of characters, `?` exactly one.
//
// A pattern is compiled into segments split at `*`: P0 * P1 * ... * Pk. Text matches iff P0 is
// a prefix, Pk a suffix, and P1..Pk-1 occur in order in between. Placing each middle segment at
// its leftmost occurrence is optimal (any later placement leaves less room for the rest), so the
// scan never moves backwards: matching costs at most (text length + 1) × (longest segment + 1)
// character comparisons, which is linear in the text for a given pattern. There is no
// backtracking for an adversarial pattern such as "*********x" or "*a*a*a*a*b" to exploit.

export interface StepCounter {
  steps: number;
}

export interface Wildcard {
  readonly source: string;
  test(text: string, counter?: StepCounter): boolean;
}

/** Does segment (with `?` as any one character) occur in text at position at? */
function segmentAt(segment: string, text: string, at: number, counter: StepCounter | undefined): boolean {
  for (let i = 0; i < segment.length; i++) {
    if (counter) counter.steps++;
    const c = segment.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/**
 * Leftmost position ≥ from (and with the segment ending ≤ end) where segment occurs, or -1.
 * plain: the segment has no `?`, so (when no steps are counted) indexOf finds it.
 */
function find(segment: string, plain: boolean, text: string, from: number, end: number, counter: StepCounter | undefined): number {
  if (plain && counter === undefined) {
    const at = text.indexOf(segment, from);
    return at >= 0 && at + segment.length <= end ? at : -1;
  }
  for (let at = from; at + segment.length <= end; at++) {
    if (counter) counter.steps++;
    if (segmentAt(segment, text, at, counter)) return at;
  }
  return -1;
}

class Exact implements Wildcard {
  constructor(readonly source: string) {}
  test(text: string, counter?: StepCounter): boolean {
    if (counter) counter.steps += Math.min(text.length, this.source.length) + 1;
    return text === this.source;
  }
}

class Anything implements Wildcard {
  readonly source = '*';
  test(_text: string, counter?: StepCounter): boolean {
    if (counter) counter.steps++;
    return true;
  }
}

/** A pattern with `?` but no `*`: same length, every non-`?` character equal. */
class Positional implements Wildcard {
  constructor(readonly source: string) {}
  test(text: string, counter?: StepCounter): boolean {
    return text.length === this.source.length && segmentAt(this.source, text, 0, counter);
  }
}

class Segments implements Wildcard {
  readonly #first: string;
  readonly #middle: readonly string[];
  /** Per middle segment: it has no `?` (known once here rather than looked for at every test). */
  readonly #plain: readonly boolean[];
  readonly #last: string;
  readonly #minLength: number;

  /** source has at least one `*`, and no two in a row. */
  constructor(readonly source: string) {
    const parts = source.split('*');
    this.#first = parts[0] ?? '';
    this.#last = parts[parts.length - 1] ?? '';
    this.#middle = parts.slice(1, -1).filter((p) => p !== '');
    this.#plain = this.#middle.map((p) => !p.includes('?'));
    this.#minLength = parts.reduce((n, p) => n + p.length, 0);
  }

  test(text: string, counter?: StepCounter): boolean {
    // minLength covers first and last together, so the prefix and suffix checked below never overlap.
    if (text.length < this.#minLength) return false;
    if (!segmentAt(this.#first, text, 0, counter)) return false;
    const lastStart = text.length - this.#last.length;
    if (!segmentAt(this.#last, text, lastStart, counter)) return false;
    let at = this.#first.length;
    for (let i = 0; i < this.#middle.length; i++) {
      const segment = this.#middle[i]!;
      const found = find(segment, this.#plain[i]!, text, at, lastStart, counter);
      if (found < 0) return false;
      at = found + segment.length;
    }
    return true;
  }
}

/** Whether any of the patterns matches text. */
export function anyMatches(patterns: readonly Wildcard[], text: string): boolean {
  for (const p of patterns) if (p.test(text)) return true;
  return false;
}

/** Compiles a pattern once; the fast shapes (exact text, a lone `*`) skip the general matcher. */
export function compileWildcard(pattern: string): Wildcard {
  if (/^\*+$/.test(pattern)) return new Anything();
  if (!pattern.includes('*')) return pattern.includes('?') ? new Positional(pattern) : new Exact(pattern);
  return new Segments(pattern.replace(/\*{2,}/g, '*'));
}
