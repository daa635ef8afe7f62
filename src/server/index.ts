export { startRampart, type RampartConfig, type RunningRampart, type HostPort, type TlsConfig } from './start.js';
export { createAccount, AccountSetupError, type RootCredentials } from './accounts.js';
export { openDataDir } from './data-dir.js';
export { SettingError, logLevel, flag, oidcIssuerUrl } from './settings.js';
export { tuneGarbageCollector } from './gc.js';
