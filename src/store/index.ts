export * from './repositories.js';
export { openSqliteStore, SQLITE_FILE } from './sqlite/open.js';
