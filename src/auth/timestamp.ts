// Request time stamps: ISO 8601 UTC (`YYYY-MM-DDTHH:mm:ssZ`, optionally with fractions), accepted
// within 15 minutes either side of the server's clock.

import { parseIsoTime } from '../model/index.js';

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Milliseconds since the epoch, or undefined if the text is not a valid UTC time stamp. */
export function parseIsoUtc(text: string): number | undefined {
  return parseIsoTime(text);
}

export function isWithinSkew(requestMs: number, nowMs: number): boolean {
  return Math.abs(requestMs - nowMs) <= MAX_CLOCK_SKEW_MS;
}
