// The global condition keys of a request, from what the gateway knows about it.
import { conditionContext, type ConditionContext } from '../policy/index.js';
import { principalArn, type Principal } from '../model/index.js';

export interface RequestFactsForContext {
  sourceIp: string;
  secureTransport: boolean;
  userAgent: string;
  now: Date;
}

export function requestContext(caller: Principal, facts: RequestFactsForContext, extra: Record<string, string | undefined> = {}): ConditionContext {
  return conditionContext({
    'acs:SourceIp': facts.sourceIp,
    'acs:CurrentTime': facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'acs:SecureTransport': String(facts.secureTransport),
    'acs:UserAgent': facts.userAgent,
    'acs:AccessId': caller.accessKeyId,
    'acs:PrincipalARN': principalArn(caller),
    // Rampart has no console sign-in with MFA yet: API calls are never MFA-authenticated.
    'acs:MFAPresent': 'false',
    ...extra,
  });
}
