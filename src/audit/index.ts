// The audit trail: ActionTrail events for every authenticated call, allowed or refused.
export { AuditTrail } from './trail.js';
export { toEvent } from './event.js';
export { keepAuditFor } from './retention.js';
