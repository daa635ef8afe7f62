export * from './repositories.js';
export * from './ram.js';
export * from './ecs.js';
export * from './oss.js';
export * from './audit.js';
export { FileBlobStore, type BlobStore, type WrittenBlob } from './blobs.js';
export { openSqliteStore, SQLITE_FILE } from './sqlite/open.js';
export { Freshness, FreshCache } from './freshness.js';
export { withReadCache } from './read-cache.js';
