// Object storage (OSS REST): operations as declarations, and the router that picks one.
export { route, POST_OBJECT } from './router.js';
export { DEFAULT_OSS_LIMITS, objectArn, type BucketRequest, type OssHttpRequest, type OssContext, type OssLimits, type OssOperation, type OssResult } from './operation.js';
export { postObject, type PostForm } from './post-object.js';
export { storeBody, md5Hex } from './objects.js';
export { checkBucketName, checkHeaderValue, standardHeaders } from './names.js';
export { OssErrors } from './errors.js';
export { CallbackKey } from './callback/key.js';
export { DEFAULT_CALLBACK_SETTINGS, type CallbackSettings, type UploadCallbacks } from './callback/settings.js';
export { renderXml } from './xml.js';
export { bucketAccess, compileBucketPolicy, ossResource, BUCKET_ACLS, OBJECT_ACLS } from './access/bucket-access.js';
export { corsHeaders, preflight } from './cors.js';
export { startLifecycleSweep, LifecycleSweep, DEFAULT_SWEEP_LIMIT, type LifecycleEvent, type LifecycleSweepDeps, type RunningSweep, type SweepResult } from './lifecycle/sweep.js';
