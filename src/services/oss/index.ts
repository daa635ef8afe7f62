// Object storage (OSS REST): operations as declarations, and the router that picks one.
export { route, POST_OBJECT } from './router.js';
export { DEFAULT_OSS_LIMITS, objectArn, type BucketRequest, type OssHttpRequest, type OssContext, type OssLimits, type OssOperation, type OssResult } from './operation.js';
export { postObject, type PostForm } from './post-object.js';
export { storeBody, md5Hex } from './objects.js';
export { checkBucketName, checkHeaderValue, standardHeaders } from './names.js';
export { OssErrors } from './errors.js';
export { renderXml } from './xml.js';
