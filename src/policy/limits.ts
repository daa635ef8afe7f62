// Size limits of the real service.

/** A custom policy document (CreatePolicy, CreatePolicyVersion): 6,144 characters. */
export const MAX_CUSTOM_POLICY_LENGTH = 6144;
/** An STS session policy (AssumeRole's Policy): 2,048 characters. */
export const MAX_SESSION_POLICY_LENGTH = 2048;
/** A role's trust policy (AssumeRolePolicyDocument): 2,048 characters. [U] */
export const MAX_TRUST_POLICY_LENGTH = 2048;

/** An OSS bucket policy: 16 KB (OSS, "Bucket Policy"). */
export const MAX_BUCKET_POLICY_LENGTH = 16 * 1024;

export const MAX_LENGTH: Record<'identity' | 'session' | 'trust' | 'resource' | 'bucket', number> = {
  identity: MAX_CUSTOM_POLICY_LENGTH,
  session: MAX_SESSION_POLICY_LENGTH,
  trust: MAX_TRUST_POLICY_LENGTH,
  resource: MAX_CUSTOM_POLICY_LENGTH,
  bucket: MAX_BUCKET_POLICY_LENGTH,
};
