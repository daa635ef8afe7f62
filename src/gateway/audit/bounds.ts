// What an audit event may hold of a request, so that no caller, however unauthorized, can make the
// trail grow by more than a bounded amount a request. ActionTrail records the request's parameters
// and, for writes, the response; read responses (LookupEvents answering with events, which would
// otherwise hold events that hold events) are not recorded.

/** The longest value kept whole: a custom policy document (6,144 characters) fits. */
export const MAX_AUDITED_VALUE = 6_144;
/** All parameters together (names and values), and a recorded response. */
export const MAX_AUDITED_TOTAL = 16_384;

/**
 * The parameters as the trail keeps them: each value cut to MAX_AUDITED_VALUE characters and the
 * whole to MAX_AUDITED_TOTAL, saying how much was left out, so a cut is never mistaken for the value.
 */
export function boundedParameters(params: Iterable<readonly [string, string | undefined]>): Record<string, string> {
  const out: Record<string, string> = {};
  let total = 0;
  let omitted = 0;
  for (const [name, raw] of params) {
    const value = raw ?? '';
    const kept = value.length > MAX_AUDITED_VALUE ? `${value.slice(0, MAX_AUDITED_VALUE)}… (${value.length} characters, cut)` : value;
    // Counted as the event's JSON will hold it (quotes, escapes, the separators).
    const size = name.length > 256 ? Infinity : JSON.stringify(name).length + JSON.stringify(kept).length + 2;
    if (total + size > MAX_AUDITED_TOTAL) {
      omitted++;
      continue;
    }
    total += size;
    out[name] = kept;
  }
  if (omitted > 0) out['…'] = `${omitted} more parameter${omitted === 1 ? '' : 's'} not recorded`;
  return out;
}

/** A write's response, kept if it is small enough (they are: ids, keys, a role). */
export function boundedResponse(response: object): object {
  const size = JSON.stringify(response).length;
  return size <= MAX_AUDITED_TOTAL ? response : { '…': `a response of ${size} characters, not recorded` };
}
