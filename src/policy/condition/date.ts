// Date operators over ISO 8601 times (e.g. 2026-11-24T08:00:00Z, with an offset, or a bare date
// meaning its UTC midnight). The request's time arrives in the context (acs:CurrentTime); this
// module never reads a clock.
import { parseIsoTime } from '../../model/iso-time.js';
import { InvalidValue, recentlyParsed, type OperatorFamily, type OperatorSpec } from './operator.js';

/** Milliseconds since the epoch, or undefined if text is not an ISO 8601 date or time. */
export function parseIsoDate(text: string): number | undefined {
  return parseIsoTime(text, { offsets: true, dateOnly: true, noSeconds: true });
}

/** One memory for every date operator: they all read the same request times. */
const requestTime = recentlyParsed(parseIsoDate);

function family(compare: (r: number, v: number) => boolean): OperatorFamily<number, number> {
  return {
    parsePolicyValue: (t) => parseIsoDate(t) ?? new InvalidValue(`"${t}" is not an ISO 8601 date or time`),
    parseRequestValue: requestTime,
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
