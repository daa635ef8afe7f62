import type { Generated } from 'kysely';

// Table shapes as the query layer sees them. Times are ISO-8601 UTC text: it sorts as it reads,
// and every SQL database stores it the same way.

export interface AccountsTable {
  account_id: string;
  created_at: string;
}

export interface AccessKeysTable {
  access_key_id: string;
  account_id: string;
  /** NULL for the account's root AccessKeys. */
  user_id: string | null;
  /** Sealed with the master key; never stored in clear. */
  secret_sealed: string;
  status: 'Active' | 'Inactive';
  created_at: string;
}

export interface TokenKeysTable {
  key_id: string;
  /** The token key, sealed with the master key. */
  key_sealed: string;
  created_at: string;
}

export interface EcsInstancesTable {
  instance_id: string;
  account_id: string;
  region_id: string;
  instance_name: string;
  host_name: string;
  instance_type: string;
  image_id: string;
  private_ip: string;
  ram_role_name: string | null;
  /** Identifies one attachment of the role; sessions of another attachment are refused. */
  ram_role_attachment: string | null;
  /** The session policy the role was attached with (AttachInstanceRamRole's Policy). */
  ram_role_policy: string | null;
  http_tokens: 'optional' | 'required';
  http_endpoint: 'enabled' | 'disabled';
  creation_time: string;
}

export interface OssBucketsTable {
  bucket: string;
  account_id: string;
  region: string;
  storage_class: string;
  created_at: string;
  acl: string;
}

/** A bucket's documents by kind (policy, cors, lifecycle), as written. */
export interface OssBucketConfigsTable {
  bucket: string;
  kind: string;
  document: string;
}

export interface OssObjectsTable {
  bucket: string;
  object_key: string;
  blob_id: string;
  size: number;
  etag: string;
  content_type: string;
  metadata: string;
  object_type: 'Normal' | 'Multipart' | 'Appendable';
  last_modified: string;
  storage_class: string;
  /** JSON: the standard headers the object is served with. */
  http_headers: string;
  restore_ready: string | null;
  restore_expiry: string | null;
  acl: string;
  /** The object's tags, canonical (kysely-oss.ts tagsColumn): '{}' for none. */
  tags: string;
}

export interface OssUploadsTable {
  upload_id: string;
  bucket: string;
  object_key: string;
  content_type: string;
  metadata: string;
  initiated: string;
  storage_class: string;
  http_headers: string;
  acl: string;
  tags: string;
}

export interface ImsOidcProvidersTable {
  account_id: string;
  name_key: string;
  name: string;
  issuer_url: string;
  /** JSON lists. */
  client_ids: string;
  fingerprints: string;
  issuance_limit_time: number;
  description: string;
  created_at: string;
  updated_at: string;
  pinned_jwks: string | null;
}

export interface ImsSamlProvidersTable {
  account_id: string;
  name_key: string;
  name: string;
  encoded_metadata: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface OssInlineBlobsTable {
  blob_id: string;
  data: Buffer;
}

export interface OssPartsTable {
  upload_id: string;
  part_number: number;
  blob_id: string;
  size: number;
  etag: string;
  last_modified: string;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  event_id: string;
  account_id: string;
  event_time: string;
  event_name: string;
  service_name: string;
  event_rw: string;
  request_id: string;
  access_key_id: string;
  user_name: string;
  resource_type: string;
  resource_name: string;
  event: string;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface SignatureNoncesTable {
  fingerprint: string;
  expires_ms: number;
}

export interface RateBucketsTable {
  bucket: string;
  tokens: number;
  at_ms: number;
}

export interface Database extends RamTables {
  accounts: AccountsTable;
  access_keys: AccessKeysTable;
  settings: SettingsTable;
  token_keys: TokenKeysTable;
  ecs_instances: EcsInstancesTable;
  oss_buckets: OssBucketsTable;
  oss_objects: OssObjectsTable;
  oss_uploads: OssUploadsTable;
  oss_parts: OssPartsTable;
  oss_inline_blobs: OssInlineBlobsTable;
  oss_bucket_configs: OssBucketConfigsTable;
  ims_oidc_providers: ImsOidcProvidersTable;
  ims_saml_providers: ImsSamlProvidersTable;
  audit_events: AuditEventsTable;
  signature_nonces: SignatureNoncesTable;
  rate_buckets: RateBucketsTable;
}

export interface RamUsersTable {
  user_id: string;
  account_id: string;
  user_name: string;
  name_key: string;
  display_name: string;
  mobile_phone: string;
  email: string;
  comments: string;
  create_date: string;
  update_date: string;
}

export interface RamLoginProfilesTable {
  user_id: string;
  password_hash: string;
  password_reset_required: number;
  mfa_bind_required: number;
  create_date: string;
  update_date: string;
}

export interface RamMfaDevicesTable {
  serial_number: string;
  account_id: string;
  sealed_seed: string;
  user_id: string | null;
  activate_date: string | null;
  create_date: string;
}

export interface RamGroupsTable {
  group_id: string;
  account_id: string;
  group_name: string;
  name_key: string;
  comments: string;
  create_date: string;
  update_date: string;
}

export interface RamGroupMembersTable {
  group_id: string;
  user_id: string;
  join_date: string;
}

export interface RamRolesTable {
  role_id: string;
  account_id: string;
  role_name: string;
  name_key: string;
  description: string;
  assume_role_policy_document: string;
  max_session_duration: number;
  create_date: string;
  update_date: string;
  /** Sessions of this role issued before this time are refused (null: none revoked). */
  revoke_sessions_before: string | null;
  /** JSON: the trust policies this role replaced, [{document, replacedAt}], oldest first. */
  trust_history: string;
}

export interface RamPoliciesTable {
  account_id: string;
  policy_name: string;
  name_key: string;
  description: string;
  default_version: string;
  next_version: number;
  create_date: string;
  update_date: string;
}

export interface RamPolicyVersionsTable {
  account_id: string;
  name_key: string;
  version_id: string;
  document: string;
  create_date: string;
}

export interface RamAttachmentsTable {
  account_id: string;
  policy_type: 'System' | 'Custom';
  policy_key: string;
  principal_type: 'User' | 'Group' | 'Role';
  principal_id: string;
  attach_date: string;
}

export interface RamTables {
  ram_users: RamUsersTable;
  ram_login_profiles: RamLoginProfilesTable;
  ram_mfa_devices: RamMfaDevicesTable;
  ram_groups: RamGroupsTable;
  ram_group_members: RamGroupMembersTable;
  ram_roles: RamRolesTable;
  ram_policies: RamPoliciesTable;
  ram_policy_versions: RamPolicyVersionsTable;
  ram_attachments: RamAttachmentsTable;
}
