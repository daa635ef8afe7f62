// The key pair upload callbacks are signed with, as OSS signs its own (RSA, MD5, PKCS #1 v1.5):
// one per store, made on first use and kept in the store sealed with the master key, so every
// node signs with the same key and an app server that cached the public key keeps trusting it
// across restarts. Made lazily: most deployments never send a callback.
import { createPrivateKey, createPublicKey, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { SecretBox } from '../../../secrets/index.js';
import type { Store } from '../../../store/index.js';

const SETTING = 'oss-callback-key';
const makeKeyPair = promisify(generateKeyPair);

export class CallbackKey {
  #key: Promise<KeyObject> | undefined;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  /** The private key: the stored one, or a new one stored now (nodes starting together make one). */
  #privateKey(): Promise<KeyObject> {
    this.#key ??= (async () => {
      const load = async () => {
        const sealed = await this.store.settings.get(SETTING);
        if (sealed !== undefined && sealed !== '') return this.box.open(sealed, SETTING);
        const { privateKey } = await makeKeyPair('rsa', { modulusLength: 2048 });
        const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        await this.store.settings.set(SETTING, this.box.seal(pem, SETTING));
        return pem;
      };
      return createPrivateKey(await (this.store.exclusively ? this.store.exclusively(load) : load()));
    })().catch((e: unknown) => {
      this.#key = undefined;
      throw e;
    });
    return this.#key;
  }

  /** base64 of RSA-MD5 (PKCS #1 v1.5) over the string to sign, as the Authorization header carries it. */
  async sign(stringToSign: Buffer): Promise<string> {
    return sign('md5', stringToSign, await this.#privateKey()).toString('base64');
  }

  /** The public key as app servers fetch it (PEM, SubjectPublicKeyInfo, as OSS publishes its own). */
  async publicKeyPem(): Promise<string> {
    return createPublicKey(await this.#privateKey()).export({ type: 'spki', format: 'pem' }).toString();
  }
}
