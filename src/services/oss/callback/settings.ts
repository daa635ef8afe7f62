// What an operator decides about upload callbacks, and what the OSS door hands operations to make
// them with: kept apart from the callback itself so an operation's context can name it.
import type { CallbackLimits } from './client.js';
import type { CallbackKey } from './key.js';

export interface CallbackSettings extends CallbackLimits {
  /**
   * Host names (or addresses) callbacks may go to; `*.example.com` allows every name under
   * example.com. Absent: any host, as OSS.
   */
  allowedHosts?: readonly string[];
}

/** OSS's: 5 seconds for the answer, at most 1 MB of it (the Callback API reference, step 5). */
export const DEFAULT_CALLBACK_SETTINGS: CallbackSettings = { timeoutMs: 5000, maxResponseBytes: 1024 * 1024, refusePrivateAddresses: false };

/** What the OSS door gives operations to call app servers with. */
export interface UploadCallbacks {
  settings: CallbackSettings;
  key: CallbackKey;
  /** Where app servers fetch the public key: its base64 is the x-oss-pub-key-url header. */
  publicKeyUrl(): string;
}
