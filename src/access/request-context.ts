// The global condition keys of a request, from what the gateway knows about it.
import type { ConditionContext } from '../policy/index.js';
import { isoSeconds, principalArn, type Principal } from '../model/index.js';

export interface RequestFactsForContext {
  sourceIp: string;
  secureTransport: boolean;
  userAgent: string;
  now: Date;
}

/**
 * Built straight into the map, keys already lower-case (the form conditionContext gives them):
 * every request that is authorized builds one, AssumeRole two.
 */
export function requestContext(caller: Principal, facts: RequestFactsForContext, extra: Record<string, string | undefined> = {}): ConditionContext {
  const context = new Map<string, string>([
    ['acs:sourceip', facts.sourceIp],
    ['acs:currenttime', isoSeconds(facts.now)],
    ['acs:securetransport', String(facts.secureTransport)],
    ['acs:useragent', facts.userAgent],
    ['acs:accessid', caller.accessKeyId],
    ['acs:principalarn', principalArn(caller)],
    // Only a console session that passed its user's MFA device is; an AccessKey never is.
    ['acs:mfapresent', String(caller.type === 'RAMUser' && caller.mfaPresent === true)],
  ]);
  for (const key in extra) {
    const value = extra[key];
    if (value !== undefined) context.set(key.toLowerCase(), value);
  }
  return context;
}
