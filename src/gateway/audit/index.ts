// What the front doors hand the audit trail: one record per request, bounded and without secrets.
export { auditRecord } from './record.js';
export { boundedParameters, boundedResponse, MAX_AUDITED_TOTAL, MAX_AUDITED_VALUE } from './bounds.js';
export { redactSecrets } from './redact.js';
export type { AuditCheck, AuditRecord, AuditSink, AuditSubject, OperationEvent } from './sink.js';
