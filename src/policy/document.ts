// The RAM policy language as data: what a parsed, validated document looks like. Single values
// are normalised to one-element arrays; everything else keeps the author's spelling.

export type Effect = 'Allow' | 'Deny';

/**
 * Principal kinds of role trust policies (and resource policies), written as an object
 * ({"RAM": [...]}). An OSS bucket policy writes a plain list of UIDs and ARNs instead, kept under
 * the kind Bucket (never accepted in the object form).
 */
export type PrincipalKind = 'RAM' | 'Service' | 'Federated' | 'Bucket';
export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['RAM', 'Service', 'Federated'];

/** operator → condition key → values (as strings; numbers and booleans keep their JSON text). */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: Effect;
  Principal?: Partial<Record<PrincipalKind, string[]>>;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: '1';
  Statement: PolicyStatement[];
}

/**
 * What a document is for decides which elements it needs: identity and session policies grant
 * actions on resources; a role's trust policy names principals; a resource policy (e.g. a bucket
 * policy) names both.
 */
export type PolicyKind = 'identity' | 'session' | 'trust' | 'resource' | 'bucket';

/** Canonical JSON text of a parsed document (parse ∘ serialize is the identity). */
export function serializePolicy(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}
