// Who signed an OSS request (V1, V2, V4; headers, presigned URLs, PostObject forms), and the
// signature algorithms themselves.
export { authenticateOss, authenticatePostForm, type OssAuthDeps, type OssCaller, type OssSignedRequest } from './authenticate.js';
export { fromApiError, OssAuthErrors } from './errors.js';
export * from './signature.js';
export { ARGUMENTS, MEANINGFUL_HEADERS, SELECTORS, SIGNATURE_PARAMS } from './vocabulary.js';
