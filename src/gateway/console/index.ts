export { BUILT_CONSOLE, ConsoleAssets } from './assets.js';
export { consoleFrontDoor, type ConsoleDeps } from './door.js';
export { ConsoleSessions, DEFAULT_SESSION_LIMITS, type SessionLimits } from './sessions.js';
