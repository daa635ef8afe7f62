// Accounts and their root AccessKeys: created at first start, by `rampart account create`, or
// fixed from the environment for scripted set-ups.
import {
  ACCESS_KEY_ID_PATTERN,
  ACCOUNT_ID_PATTERN,
  newAccessKeyId,
  newAccessKeySecret,
  newAccountId,
} from '../model/index.js';
import { StoreConflictError, type Repositories, type Store } from '../store/index.js';

export interface RootCredentials {
  AccountId: string;
  AccessKeyId: string;
  AccessKeySecret: string;
}

export class AccountSetupError extends Error {}

export interface FixedRoot {
  accountId?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
}

export function validateFixedRoot(fixed: FixedRoot): void {
  if (fixed.accountId !== undefined && !ACCOUNT_ID_PATTERN.test(fixed.accountId)) {
    throw new AccountSetupError('RAMPART_ACCOUNT_ID must be 16 digits, not starting with 0');
  }
  if ((fixed.accessKeyId === undefined) !== (fixed.accessKeySecret === undefined)) {
    throw new AccountSetupError('RAMPART_ROOT_ACCESS_KEY_ID and RAMPART_ROOT_ACCESS_KEY_SECRET must be set together');
  }
  if (fixed.accessKeyId !== undefined && !ACCESS_KEY_ID_PATTERN.test(fixed.accessKeyId)) {
    throw new AccountSetupError('RAMPART_ROOT_ACCESS_KEY_ID must start with LTAI followed by 8 to 60 letters or digits');
  }
  if (fixed.accessKeySecret !== undefined && !/^[\x21-\x7e]{16,128}$/.test(fixed.accessKeySecret)) {
    throw new AccountSetupError('RAMPART_ROOT_ACCESS_KEY_SECRET must be 16 to 128 printable characters');
  }
}

/** Creates an account with one root AccessKey, in one transaction. Ids are random unless fixed. */
export async function createAccount(store: Store, now: Date, fixed: FixedRoot = {}): Promise<RootCredentials> {
  validateFixedRoot(fixed);
  const creds: RootCredentials = {
    AccountId: fixed.accountId ?? newAccountId(),
    AccessKeyId: fixed.accessKeyId ?? newAccessKeyId(),
    AccessKeySecret: fixed.accessKeySecret ?? newAccessKeySecret(),
  };
  try {
    await store.transaction(async (tx) => {
      await tx.accounts.create(creds.AccountId, now);
      await tx.accessKeys.create({ accessKeyId: creds.AccessKeyId, accountId: creds.AccountId, secret: creds.AccessKeySecret, createdAt: now });
    });
  } catch (e) {
    if (e instanceof StoreConflictError) throw new AccountSetupError(e.message);
    throw e;
  }
  return creds;
}

/** Makes sure the fixed root AccessKey exists for the account with exactly this secret. */
export async function ensureRootKey(tx: Repositories, accountId: string, accessKeyId: string, secret: string, now: Date): Promise<void> {
  const existing = await tx.accessKeys.get(accessKeyId);
  if (existing === undefined) {
    await tx.accessKeys.create({ accessKeyId, accountId, secret, createdAt: now });
    return;
  }
  if (existing.accountId !== accountId || existing.userId !== undefined) {
    throw new AccountSetupError(`AccessKey ${accessKeyId} already belongs to another principal`);
  }
  if (existing.secret !== secret) await tx.accessKeys.setSecret(accessKeyId, secret);
  if (existing.status !== 'Active') await tx.accessKeys.setStatus(accessKeyId, 'Active');
}
