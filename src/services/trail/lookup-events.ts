// ActionTrail (2020-07-06) LookupEvents: the account's events by time, newest first by default,
// filtered by up to two LookupAttribute.N.Key/Value pairs, paged with NextToken.
import { ApiError, isoSeconds, parseIsoTime } from '../../model/index.js';
import type { AuditQuery } from '../../store/index.js';
import { action } from '../action.js';
import { integer, oneOf, optional, string } from '../params.js';

const ATTRIBUTES: Record<string, AuditQuery['filters'][number]['column']> = {
  EventName: 'event_name',
  ServiceName: 'service_name',
  EventRW: 'event_rw',
  ResourceType: 'resource_type',
  ResourceName: 'resource_name',
  EventAccessKeyId: 'access_key_id',
  User: 'user_name',
};

const invalid = (code: string, message: string) => new ApiError(code, message, 400);

function time(text: string | undefined, code: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseIsoTime(text, { offsets: true });
  if (ms === undefined) throw invalid(code, `${code === 'InvalidParameterStartTime' ? 'StartTime' : 'EndTime'} is not an ISO 8601 time.`);
  return ms;
}

export const LookupEvents = action({
  name: 'LookupEvents',
  permission: 'actiontrail:LookupEvents',
  rw: 'Read',
  numbered: /^LookupAttribute\.\d{1,2}\.(Key|Value)$/,
  params: {
    StartTime: optional(string()),
    EndTime: optional(string()),
    Direction: optional(oneOf(['FORWARD', 'BACKWARD'] as const), 'BACKWARD' as const),
    MaxResults: optional(integer({ min: 1, max: 50 }), 20),
    NextToken: optional(string()),
  },
  handle: async (p, { caller, request, services }) => {
    const start = time(p.StartTime, 'InvalidParameterStartTime');
    const end = time(p.EndTime, 'InvalidParameterEndTime');
    if ((start === undefined) !== (end === undefined)) throw invalid('InvalidParameterCombination', 'StartTime and EndTime must be given together.');
    const endMs = end ?? request.now.getTime();
    const startMs = start ?? endMs - 7 * 24 * 3600 * 1000;
    if (startMs > endMs) throw invalid('InvalidParameterStartTime', 'StartTime is later than EndTime.');
    // The lifecycle hands every parameter over; LookupAttribute.N.* are read from the raw set.
    const filters: AuditQuery['filters'] = [];
    for (let n = 1; n <= 10; n++) {
      const key = request.params?.get(`LookupAttribute.${n}.Key`);
      const value = request.params?.get(`LookupAttribute.${n}.Value`);
      if (key === undefined && value === undefined) continue;
      const column = key === undefined ? undefined : ATTRIBUTES[key];
      if (column === undefined || value === undefined) throw invalid('InvalidParameter', `LookupAttribute.${n} is not valid: Key must be one of ${Object.keys(ATTRIBUTES).join(', ')} with a Value.`);
      filters.push({ column, value });
    }
    if (filters.length > 2) throw invalid('InvalidParameter', 'At most two LookupAttribute filters are allowed.');
    let cursor: number | undefined;
    if (p.NextToken !== undefined) {
      cursor = Number(Buffer.from(p.NextToken, 'base64url').toString('utf8'));
      if (!Number.isInteger(cursor)) throw invalid('InvalidParameter', 'NextToken is not valid.');
    }
    const rows = await services.store.audit.query({ accountId: caller.accountId, startTime: isoSeconds(startMs), endTime: isoSeconds(endMs), filters, ...(cursor !== undefined ? { cursor } : {}), direction: p.Direction, limit: p.MaxResults + 1 });
    const page = rows.slice(0, p.MaxResults);
    const last = page[page.length - 1];
    return {
      StartTime: isoSeconds(startMs),
      EndTime: isoSeconds(endMs),
      ...(rows.length > p.MaxResults && last ? { NextToken: Buffer.from(String(last.seq)).toString('base64url') } : {}),
      Events: page.map((r) => JSON.parse(r.event) as object),
    };
  },
});
