// Request time stamps: ISO 8601 UTC (`YYYY-MM-DDTHH:mm:ssZ`, optionally with fractions), accepted
// within 15 minutes either side of the server's clock.

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Milliseconds since the epoch, or undefined if the text is not a valid UTC time stamp. */
export function parseIsoUtc(text: string): number | undefined {
  const m = ISO_UTC.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  const back = new Date(ms);
  // Reject calendar overflow such as 2024-02-31 or 25:00:00 instead of silently normalising it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  if (back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) return undefined;
  return ms;
}

export function isWithinSkew(requestMs: number, nowMs: number): boolean {
  return Math.abs(requestMs - nowMs) <= MAX_CLOCK_SKEW_MS;
}
