// The audit part of the storage contract: ActionTrail events, appended in batches, looked up by
// account, time and a few indexed fields.

export interface AuditEventRow {
  eventId: string;
  accountId: string;
  eventTime: string;
  eventName: string;
  serviceName: string;
  eventRW: string;
  requestId: string;
  accessKeyId: string;
  userName: string;
  resourceType: string;
  resourceName: string;
  /** The whole event, as JSON. */
  event: string;
}

export interface AuditQuery {
  accountId?: string;
  startTime: string;
  endTime: string;
  filters: { column: 'event_name' | 'service_name' | 'event_rw' | 'resource_type' | 'resource_name' | 'access_key_id' | 'user_name'; value: string }[];
  /** Events after (FORWARD) or before (BACKWARD) this sequence number. */
  cursor?: number;
  direction: 'FORWARD' | 'BACKWARD';
  limit: number;
}

export interface AuditRepository {
  append(rows: AuditEventRow[]): Promise<void>;
  query(q: AuditQuery): Promise<(AuditEventRow & { seq: number })[]>;
  byRequestId(requestId: string): Promise<AuditEventRow[]>;
  /** Deletes events older than `before` (an event time), oldest first; returns how many went. */
  expire(before: string): Promise<number>;
}
