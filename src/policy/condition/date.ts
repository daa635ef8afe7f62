// Date operators over ISO 8601 times (e.g. 2026-11-24T08:00:00Z, with an offset, or a bare date
// meaning its UTC midnight). The request's time arrives in the context (acs:CurrentTime); this
// module never reads a clock.
import { InvalidValue, lastParsed, type OperatorFamily, type OperatorSpec } from './operator.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Milliseconds since the epoch, or undefined if text is not an ISO 8601 date or time. */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return undefined;
  const normalized = h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-30 over to March; refuse such dates instead.
  const probe = new Date(Date.UTC(Number(y), month - 1, day));
  if (probe.getUTCDate() !== day) return undefined;
  void zone;
  return ms;
}

function family(compare: (r: number, v: number) => boolean): OperatorFamily<number, number> {
  return {
    parsePolicyValue: (t) => parseIsoDate(t) ?? new InvalidValue(`"${t}" is not an ISO 8601 date or time`),
    parseRequestValue: lastParsed(parseIsoDate),
    matches: compare,
  };
}

const equals = family((r, v) => r === v);

export const DATE_OPERATORS: Record<string, OperatorSpec> = {
  DateEquals: { family: equals, negated: false },
  DateNotEquals: { family: equals, negated: true },
  DateLessThan: { family: family((r, v) => r < v), negated: false },
  DateLessThanEquals: { family: family((r, v) => r <= v), negated: false },
  DateGreaterThan: { family: family((r, v) => r > v), negated: false },
  DateGreaterThanEquals: { family: family((r, v) => r >= v), negated: false },
} as Record<string, OperatorSpec>;
