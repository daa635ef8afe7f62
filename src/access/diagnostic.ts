// EncodedDiagnosticMessage: a denial's explanation, sealed so that only Rampart can read it and
// only the denied account can have it decoded (RAM DecodeDiagnosticMessage).
import { decodeBase64UrlStrict } from '../model/index.js';
import type { SecretBox } from '../secrets/index.js';

export interface Diagnostic {
  accountId: string;
  principal: string;
  principalType: string;
  principalDisplayName: string;
  /** AccessDeniedDetail.PolicyType: which kind of policy refused. */
  policyType: string;
  /** How the deciding policy reached the principal: RamUser, RamGroup or RamRole. */
  attachedEntityType?: string;
  action: string;
  resource: string;
  decision: 'ExplicitDeny' | 'ImplicitDeny';
  policy?: { name: string; type: string; version?: string };
  statement?: number;
  explanation: string;
}

const CONTEXT = 'diagnostic-message';

export function encodeDiagnostic(box: SecretBox, d: Diagnostic): string {
  return Buffer.from(box.seal(JSON.stringify(d), CONTEXT)).toString('base64url');
}

/** undefined when the text was not made by this server (or was altered). */
export function decodeDiagnostic(box: SecretBox, encoded: string): Diagnostic | undefined {
  const raw = decodeBase64UrlStrict(encoded);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(box.open(raw.toString('utf8'), CONTEXT)) as Diagnostic;
  } catch {
    return undefined;
  }
}
