// What the lifecycle sweep does, as audit events: each object expired and each upload aborted is
// recorded in the bucket owner's trail, as the owner's account acting through its own rule (no
// AccessKey: no request was signed). The event source (lifecycle.rampart, as sign-ins are
// signin.rampart) and the rule's ID tell it from the owner's own calls. [U] The real OSS keeps
// lifecycle deletions out of ActionTrail (they are in its access logs); Rampart never lets a
// deletion go unrecorded.
import type { AuditRecord } from '../gateway/index.js';
import { newOssRequestId } from '../model/index.js';
import type { LifecycleEvent } from '../services/oss/index.js';

export function lifecycleAuditRecord(e: LifecycleEvent): AuditRecord {
  return {
    request: { requestId: newOssRequestId(e.at.getTime()), sourceIp: '', secureTransport: true, userAgent: 'rampart-lifecycle', now: e.at },
    serviceName: 'Oss',
    apiVersion: '',
    eventName: e.action,
    eventRW: 'Write',
    eventSource: 'lifecycle.rampart',
    caller: { type: 'Account', accountId: e.accountId, accessKeyId: '' },
    requestParameters: { bucket: e.bucket, key: e.key, ...(e.uploadId !== undefined ? { uploadId: e.uploadId } : {}) },
    resource: `acs:oss:*:${e.accountId}:${e.bucket}/${e.key}`,
    additionalEventData: { lifecycleRuleId: e.ruleId },
  };
}
