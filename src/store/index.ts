export * from './repositories.js';
export * from './ram.js';
export { openSqliteStore, SQLITE_FILE } from './sqlite/open.js';
