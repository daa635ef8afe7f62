// Times as the Alibaba Cloud APIs write them: ISO 8601 in UTC to the second, yyyy-MM-ddTHH:mm:ssZ.

/** toISOString without its milliseconds (it always ends in .sssZ). */
export function isoSeconds(time: Date | number): string {
  const text = (typeof time === 'number' ? new Date(time) : time).toISOString();
  return `${text.slice(0, -5)}Z`;
}
