export * from './repositories.js';
export * from './ram.js';
export * from './ecs.js';
export { openSqliteStore, SQLITE_FILE } from './sqlite/open.js';
