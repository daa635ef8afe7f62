// Console passwords: the account's password policy, and scrypt hashes (never the password).
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Repositories } from '../../store/index.js';
import { RamErrors } from './errors.js';

export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireLowercaseCharacters: boolean;
  RequireUppercaseCharacters: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  HardExpiry: boolean;
  MaxPasswordAge: number;
  PasswordReusePrevention: number;
  /** Spelled as the real service spells it. */
  MaxLoginAttemps: number;
}

/** [U] The real defaults of a new account were not confirmed; these are the console's. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumPasswordLength: 8,
  RequireLowercaseCharacters: true,
  RequireUppercaseCharacters: true,
  RequireNumbers: true,
  RequireSymbols: false,
  HardExpiry: false,
  MaxPasswordAge: 0,
  PasswordReusePrevention: 0,
  MaxLoginAttemps: 0,
};

const settingName = (accountId: string) => `ram.password_policy.${accountId}`;

export async function passwordPolicy(repos: Repositories, accountId: string): Promise<PasswordPolicy> {
  const text = await repos.settings.get(settingName(accountId));
  return text === undefined ? DEFAULT_PASSWORD_POLICY : { ...DEFAULT_PASSWORD_POLICY, ...(JSON.parse(text) as Partial<PasswordPolicy>) };
}

export async function savePasswordPolicy(repos: Repositories, accountId: string, policy: PasswordPolicy): Promise<void> {
  await repos.settings.set(settingName(accountId), JSON.stringify(policy));
}

export function checkPassword(password: string, policy: PasswordPolicy): void {
  const length = [...password].length;
  if (length < policy.MinimumPasswordLength) throw RamErrors.passwordTooWeak(`at least ${policy.MinimumPasswordLength} characters`);
  if (length > 32) throw RamErrors.passwordTooWeak('at most 32 characters');
  if (policy.RequireLowercaseCharacters && !/[a-z]/.test(password)) throw RamErrors.passwordTooWeak('a lower-case letter is required');
  if (policy.RequireUppercaseCharacters && !/[A-Z]/.test(password)) throw RamErrors.passwordTooWeak('an upper-case letter is required');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) throw RamErrors.passwordTooWeak('a digit is required');
  if (policy.RequireSymbols && !/[^A-Za-z0-9]/.test(password)) throw RamErrors.passwordTooWeak('a symbol is required');
}

const SCRYPT: ScryptOptions & { N: number; r: number; p: number } = { N: 16384, r: 8, p: 1 };

function scrypt(password: string, salt: Buffer, options: typeof SCRYPT): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password, salt, 32, options, (e, key) => (e ? reject(e) : resolve(key))));
}

/** scrypt$N$r$p$salt$hash, so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Whether a password is the one a hash was made from (in constant time; a malformed hash never matches). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (![options.N, options.r, options.p].every((v) => Number.isSafeInteger(v) && v > 0) || expected.length === 0) return false;
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { ...options, maxmem: 128 * options.N * options.r * 2 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
