// The words of an OSS request that carry meaning: sub-resources that name an operation, query
// arguments that change what an operation does, the parameters of signatures, and request headers
// that ask for functionality. Gathered from the OSS API reference and what the clients send
// (ali-oss, aliyun-oss-go-sdk, @alicloud/oss20190517). Fail closed: a request that uses a word
// here which the operation it names does not honour is refused, never served as if the word were
// not there (DELETE /bucket?cors must not delete the bucket). Words OSS itself does not know (a
// cache-busting ?t=1) mean nothing, here as there.

/** Query keys that name an operation (GET /bucket?acl is GetBucketAcl, not ListObjects). */
export const SELECTORS: ReadonlySet<string> = new Set([
  'acl', 'uploads', 'uploadId', 'partNumber', 'append', 'delete', 'location', 'bucketInfo', 'stat', 'objectMeta',
  'cors', 'logging', 'website', 'referer', 'lifecycle', 'tagging', 'policy', 'policyStatus', 'encryption', 'versions',
  'versioning', 'requestPayment', 'inventory', 'inventoryId', 'worm', 'wormId', 'wormExtend', 'asyncFetch', 'symlink',
  'restore', 'cleanRestoredObjects', 'live', 'vod', 'comp', 'status', 'img', 'style', 'styleName', 'x-oss-process',
  'x-oss-async-process', 'replication', 'replicationProgress', 'replicationLocation', 'cname', 'qos', 'qosInfo',
  'udf', 'udfName', 'udfImage', 'udfId', 'udfImageDesc', 'udfApplication', 'udfApplicationLog', 'sequential',
  'regions', 'transferAcceleration', 'resourceGroup', 'accessPoint', 'accessPointPolicy', 'metaQuery', 'responseHeader',
  'httpsConfig', 'publicAccessBlock', 'redundancyTransition', 'dataAccessTracking', 'archiveDirectRead',
  'userDefinedLogFieldsConfig', 'overwriteConfig', 'bucketArchiveDirectRead', 'objectworm', 'rtmp', 'channel',
]);

/** Query keys that are arguments of some operation. */
export const ARGUMENTS: ReadonlySet<string> = new Set([
  'prefix', 'marker', 'max-keys', 'delimiter', 'encoding-type', 'list-type', 'start-after', 'continuation-token',
  'fetch-owner', 'key-marker', 'upload-id-marker', 'max-uploads', 'part-number-marker', 'max-parts', 'position',
  'versionId', 'version-id-marker', 'response-content-type', 'response-content-language', 'response-expires',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'x-oss-traffic-limit',
  'x-oss-request-payer', 'callback', 'callback-var', 'startTime', 'endTime', 'resourceGroupId', 'tag-key',
  'tag-value', 'max-results', 'x-oss-ac-forward-allow', 'x-oss-ac-source-ip', 'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id',
]);

/** Query keys of the signatures themselves (V1, V2 and V4 presigned URLs): never the operation's. */
export const SIGNATURE_PARAMS: ReadonlySet<string> = new Set([
  'OSSAccessKeyId', 'Expires', 'Signature', 'security-token', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date',
  'x-oss-expires', 'x-oss-signature', 'x-oss-additional-headers', 'x-oss-security-token', 'x-oss-access-key-id',
]);

/** Request headers that ask for functionality; an operation lists the ones it honours. */
export const MEANINGFUL_HEADERS: ReadonlySet<string> = new Set([
  'x-oss-acl', 'x-oss-object-acl', 'x-oss-storage-class', 'x-oss-server-side-encryption', 'x-oss-server-side-encryption-key-id',
  'x-oss-server-side-data-encryption', 'x-oss-forbid-overwrite', 'x-oss-tagging', 'x-oss-tagging-directive',
  'x-oss-callback', 'x-oss-callback-var', 'x-oss-traffic-limit', 'x-oss-request-payer', 'x-oss-symlink-target',
  'x-oss-copy-source', 'x-oss-copy-source-range', 'x-oss-copy-source-if-match', 'x-oss-copy-source-if-none-match',
  'x-oss-copy-source-if-modified-since', 'x-oss-copy-source-if-unmodified-since', 'x-oss-metadata-directive',
  'x-oss-process', 'x-oss-redundancy-type', 'x-oss-resource-group-id', 'x-oss-hns-status', 'x-oss-bucket-tagging',
  'x-oss-complete-all', 'x-oss-range-behavior', 'x-oss-expected-bucket-owner', 'x-oss-worm-id', 'x-oss-version-id',
  'x-oss-object-worm-mode', 'x-oss-object-worm-retain-until-date', 'x-oss-async-process', 'x-oss-transfer-acceleration',
]);
