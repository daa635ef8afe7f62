// The server's settings from the environment, each read and checked once, at start: a value that
// cannot be read stops the start with a message naming it (RAMPART_ASSUME_ROLE_RATE=abc once
// became NaN, and a limiter that let nothing through).
import { MAX_TOKEN_LIFETIME_MS } from '../tokens/index.js';

export class SettingError extends Error {}

/** A whole number from the environment, within [min, max]; the fallback when unset or empty. */
export function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, meaning: string): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new SettingError(`${name} must be ${meaning} (a whole number from ${min} to ${max}), not "${text}"`);
  return n;
}

/** AssumeRole calls a second per account (the real STS allows 100); 0 means no limit. */
export const assumeRoleRate = (env: NodeJS.ProcessEnv): number => wholeNumber(env, 'RAMPART_ASSUME_ROLE_RATE', 100, 0, 1_000_000, 'AssumeRole calls per second per account, 0 for no limit');

/** How long instance credentials last: 6 hours unless configured, never past a token's longest life. */
export const metadataCredentialSeconds = (env: NodeJS.ProcessEnv): number =>
  wholeNumber(env, 'RAMPART_METADATA_CREDENTIAL_SECONDS', 6 * 3600, 60, MAX_TOKEN_LIFETIME_MS / 1000, 'how long instance credentials last, in seconds');

/** Days the audit trail keeps events: 90 by default, as ActionTrail; 0 keeps them for ever. */
export const auditRetentionDays = (env: NodeJS.ProcessEnv): number => wholeNumber(env, 'RAMPART_AUDIT_RETENTION_DAYS', 90, 0, 100_000, 'days to keep audit events, 0 for ever');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function logLevel(env: NodeJS.ProcessEnv): string {
  const level = env['RAMPART_LOG_LEVEL'];
  if (level === undefined || level === '') return 'info';
  if (!LOG_LEVELS.includes(level)) throw new SettingError(`RAMPART_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${level}"`);
  return level;
}

/** A text setting; unset when absent or empty. */
export function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A yes/no setting: 1, true, 0, false, or unset. */
export function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new SettingError(`${name} must be 1, true, 0 or false, not "${value}"`);
}
