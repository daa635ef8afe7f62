// Who an AccessKeyId belongs to, and the secret its requests must be signed with.
import { CommonErrors, type Principal } from '../model/index.js';
import type { Store } from '../store/index.js';

export interface SigningCredential {
  principal: Principal;
  secret: string;
}

export interface CredentialSource {
  /** Throws the real service's error for unknown, disabled or mismatched credentials. */
  resolve(accessKeyId: string, securityToken: string | undefined): Promise<SigningCredential>;
}

/** Long-term AccessKeys kept in the store. Read on every request, so a disabled key stops at once. */
export class StoreCredentialSource implements CredentialSource {
  constructor(private readonly store: Store) {}

  async resolve(accessKeyId: string, securityToken: string | undefined): Promise<SigningCredential> {
    const key = await this.store.accessKeys.get(accessKeyId);
    if (key === undefined) throw CommonErrors.accessKeyNotFound();
    if (key.status !== 'Active') throw CommonErrors.accessKeyInactive();
    // A SecurityToken belongs with an STS AccessKeyId; beside a long-term key it is a client error.
    if (securityToken !== undefined && securityToken !== '') throw CommonErrors.securityTokenMismatch();
    if (key.userId === undefined) {
      return { principal: { type: 'Account', accountId: key.accountId, accessKeyId }, secret: key.secret };
    }
    const user = await this.store.ram.getUserById(key.userId);
    // A user's keys go with the user; a key whose user is gone is no key at all.
    if (user === undefined) throw CommonErrors.accessKeyNotFound();
    return {
      principal: { type: 'RAMUser', accountId: key.accountId, userId: user.userId, userName: user.userName, accessKeyId },
      secret: key.secret,
    };
  }
}
