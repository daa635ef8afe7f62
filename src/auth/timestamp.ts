// Request time stamps: ISO 8601 UTC (`YYYY-MM-DDTHH:mm:ssZ`, optionally with fractions), accepted
// within 15 minutes either side of the server's clock.

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Milliseconds since the epoch, or undefined if the text is not a valid UTC time stamp. */
export function parseIsoUtc(text: string): number | undefined {
  const m = ISO_UTC.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  // Reject calendar overflow such as 2024-02-31 or 25:00:00 instead of silently normalising it
  // (and years Date.UTC would read as 19xx).
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s, m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3)));
}

export function isWithinSkew(requestMs: number, nowMs: number): boolean {
  return Math.abs(requestMs - nowMs) <= MAX_CLOCK_SKEW_MS;
}
