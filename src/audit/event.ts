// An audit record as an ActionTrail event: the fields and forms ActionTrail uses, secrets already
// removed by the gateway. A session's identity keeps its role and session name after it ends.
import type { AuditRecord } from '../gateway/index.js';
import { isoSeconds, newRequestId, parseArn, type Principal } from '../model/index.js';
import type { AuditEventRow } from '../store/index.js';

function userIdentity(p: Principal) {
  switch (p.type) {
    case 'Account':
      return { type: 'root-account', principalId: p.accountId, accountId: p.accountId, accessKeyId: p.accessKeyId, userName: 'root' };
    case 'RAMUser':
      return { type: 'ram-user', principalId: p.userId, accountId: p.accountId, accessKeyId: p.accessKeyId, userName: p.userName };
    case 'AssumedRoleUser':
      return {
        type: 'assumed-role',
        principalId: `${p.roleId}:${p.sessionName}`,
        accountId: p.accountId,
        accessKeyId: p.accessKeyId,
        userName: `${p.roleName}:${p.sessionName}`,
        sessionContext: {
          attributes: { mfaAuthenticated: 'false', creationDate: isoSeconds(p.issuedAt) },
          // A federated session names its identity provider and the subject it proved (claims only).
          ...(p.source.kind === 'Federated' ? { federatedIdentity: { provider: p.source.arn, claims: p.source.claims } } : {}),
        },
      };
    case 'Anonymous':
      return { type: 'anonymous', principalId: '', accountId: '', accessKeyId: '', userName: '' };
  }
}

/** acs:<service>:<region>:<account>:<type>/<name> → ResourceType ACS::<Service>::<Type>, name. */
function resourceOf(arnText: string | undefined): { type: string; name: string; account: string | undefined } {
  const arn = arnText ? parseArn(arnText) : undefined;
  if (!arn) return { type: '', name: '', account: undefined };
  const slash = arn.resource.indexOf('/');
  const kind = arn.service === 'oss' ? (slash < 0 ? 'Bucket' : 'Object') : slash < 0 ? arn.resource : arn.resource.slice(0, slash);
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return { type: `ACS::${arn.service.toUpperCase()}::${cap(kind)}`, name: arn.service === 'oss' ? arn.resource : slash < 0 ? arn.resource : arn.resource.slice(slash + 1), account: arn.accountId && arn.accountId !== '*' ? arn.accountId : undefined };
}

/**
 * The event, and its rows: one in the account that owns the resource, and for a record shared with
 * the caller (a cross-account AssumeRole) a copy with its own event id in the caller's account.
 */
export function toEvent(r: AuditRecord): { rows: AuditEventRow[]; event: Record<string, unknown> } {
  const eventId = newRequestId(r.request.now.getTime());
  const eventTime = isoSeconds(r.request.now);
  const resource = resourceOf(r.resource ?? r.checks?.[0]?.resource);
  const identity = userIdentity(r.caller);
  // Events land in the account that owns the resource (a partner's AssumeRole lands in the role's account).
  const accountId = resource.account ?? r.caller.accountId;
  const event: Record<string, unknown> = {
    eventId,
    eventVersion: '1',
    eventName: r.eventName,
    eventSource: r.eventSource ?? `${r.serviceName.toLowerCase()}.aliyuncs.com`,
    eventTime,
    eventType: r.eventType ?? 'ApiCall',
    eventRW: r.eventRW,
    serviceName: r.serviceName,
    apiVersion: r.apiVersion,
    acsRegion: 'cn-hangzhou',
    sourceIpAddress: r.request.sourceIp,
    userAgent: r.request.userAgent,
    requestId: r.request.requestId,
    requestParameters: r.requestParameters,
    ...(r.responseElements ? { responseElements: r.responseElements } : {}),
    referencedResources: resource.name ? { [resource.type]: [resource.name] } : {},
    recipientAccountId: accountId,
    userIdentity: identity,
    ...(r.errorCode !== undefined ? { errorCode: r.errorCode, errorMessage: r.errorMessage ?? '' } : {}),
    ...(r.checks?.length || r.additionalEventData ? { additionalEventData: { ...r.additionalEventData, ...(r.checks?.length ? { authorizationChecks: r.checks } : {}) } } : {}),
    ...(r.explanation ? { errorExplanation: r.explanation } : {}),
    resourceName: resource.name,
    resources: resource.name ? `${resource.type};${resource.name}` : '',
  };
  const row = (id: string, account: string, text: string): AuditEventRow => ({
    eventId: id,
    accountId: account,
    eventTime,
    eventName: r.eventName,
    serviceName: r.serviceName,
    eventRW: r.eventRW,
    requestId: r.request.requestId,
    accessKeyId: r.caller.accessKeyId,
    userName: identity.userName,
    resourceType: resource.type,
    resourceName: resource.name,
    event: text,
  });
  const rows = [row(eventId, accountId, JSON.stringify(event))];
  if (r.sharedWithCaller && accountId !== r.caller.accountId) {
    const copyId = newRequestId(r.request.now.getTime());
    rows.push(row(copyId, r.caller.accountId, JSON.stringify({ ...event, eventId: copyId })));
  }
  return { event, rows };
}

