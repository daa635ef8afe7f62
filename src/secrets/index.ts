export { loadMasterKey, parseMasterKey, MasterKeyError, MASTER_KEY_FILE } from './master-key.js';
export { SecretBox } from './secret-box.js';
