// ISO 8601 times, read one way everywhere (request time stamps, policy dates, LookupEvents
// bounds, form-policy expirations): only dates the calendar has (2026-02-30 is refused, never
// rolled into March), hours, minutes and seconds in range, fractions to the millisecond. Each
// caller says which forms it takes beyond the strict UTC one.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export interface IsoForms {
  /** +08:00 or +0800 as well as Z. */
  offsets?: boolean;
  /** A bare date, meaning its UTC midnight. */
  dateOnly?: boolean;
  /** Minutes without seconds (12:00Z). */
  noSeconds?: boolean;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Milliseconds since the epoch, or undefined when the text is not one of the forms allowed. */
export function parseIsoTime(text: string, forms: IsoForms = {}): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  // Years before 100 would be read by Date.UTC as 19xx.
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (hs === undefined) return forms.dateOnly ? Date.UTC(y, mo - 1, d) : undefined;
  if (ss === undefined && !forms.noSeconds) return undefined;
  if (zone === undefined || (zone !== 'Z' && !forms.offsets)) return undefined;
  const h = Number(hs);
  const mi = Number(mis);
  const s = Number(ss ?? 0);
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  if (Math.abs(offset) > 14 * 60) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
}
