export * from './errors.js';
export * from './ids.js';
export * from './arn.js';
export * from './principal.js';
export * from './common-errors.js';
export * from './metadata-errors.js';
export * from './time.js';
export * from './base64url.js';
