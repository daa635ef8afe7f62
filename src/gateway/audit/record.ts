// The audit event of one request, built the same way for every front door from what the lifecycle
// knows: the caller, the operation, its parameters (bounded, secrets removed), every permission
// decided (as data: effect, deciding policy and statement, failing condition), and the outcome.
import { explainDecision } from '../../access/index.js';
import type { ApiError } from '../../model/index.js';
import type { RequestFacts } from '../../services/index.js';
import type { Decided } from '../authorize.js';
import { boundedParameters, boundedResponse } from './bounds.js';
import { redactSecrets } from './redact.js';
import type { AuditCheck, AuditRecord, AuditSubject } from './sink.js';

function asCheck({ check, decision }: Decided): AuditCheck {
  return {
    permission: check.permission,
    resource: check.resource,
    effect: decision.effect,
    ...(decision.policy ? { policy: decision.policy } : {}),
    ...(decision.statement !== undefined ? { statement: decision.statement } : {}),
    ...(decision.condition ? { condition: decision.condition } : {}),
  };
}

export function auditRecord(request: RequestFacts, subject: AuditSubject, decided: readonly Decided[], error: ApiError | undefined): AuditRecord {
  const { caller, event, resource, responseElements } = subject;
  const refused = decided.find((d) => d.decision.effect !== 'Allow');
  return {
    request,
    serviceName: event.serviceName,
    apiVersion: event.apiVersion,
    eventName: event.name,
    eventRW: event.rw,
    caller,
    ...(event.sharedWithCaller ? { sharedWithCaller: true } : {}),
    ...(event.type ? { eventType: event.type } : {}),
    requestParameters: redactSecrets(boundedParameters(event.parameters)) as Record<string, string>,
    ...(responseElements ? { responseElements: boundedResponse(redactSecrets(responseElements) as object) } : {}),
    ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
    ...(resource ? { resource } : {}),
    // The operation's own permission is the event's resource; the rest are recorded as checks.
    ...(decided.length > 1 ? { checks: decided.slice(1).map(asCheck) } : {}),
    ...(refused ? { explanation: explainDecision(caller, refused.check.permission, refused.check.resource, refused.decision) } : {}),
  };
}
