// The server's settings from the environment, each read and checked once, at start: a value that
// cannot be read stops the start with a message naming it (RAMPART_ASSUME_ROLE_RATE=abc once
// became NaN, and a limiter that let nothing through).
import { MAX_TOKEN_LIFETIME_MS } from '../tokens/index.js';
import { isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import { DEFAULT_CALLBACK_SETTINGS, type CallbackSettings } from '../services/oss/index.js';

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

/**
 * Seconds between lifecycle sweeps (default an hour; the real service applies rules once a day);
 * 0 sweeps only when asked. At most a week (a timer cannot wait longer than 24.8 days).
 */
export const lifecycleSweepSeconds = (env: NodeJS.ProcessEnv): number =>
  wholeNumber(env, 'RAMPART_LIFECYCLE_SWEEP_SECONDS', 3600, 0, 7 * 24 * 3600, 'seconds between lifecycle sweeps, 0 for none');

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

/**
 * The OIDC issuer URL Rampart's tokens carry as iss (--oidc-issuer, RAMPART_OIDC_ISSUER): http or
 * https, a host and maybe a path, no query or fragment; a trailing '/' is dropped, since verifiers
 * compare iss as a string and append /.well-known/… to it.
 */
export function oidcIssuerUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '' || /[\s?#]/.test(text)) {
    throw new SettingError(`The OIDC issuer (--oidc-issuer, RAMPART_OIDC_ISSUER) must be an http or https URL without a query or fragment, e.g. https://rampart.example.com, not "${text}"`);
  }
  return text.replace(/\/+$/, '');
}

/** Upload callbacks as the operator allows them, and the URL app servers fetch the public key from. */
export interface OssCallbackConfig extends CallbackSettings {
  /** Default: the OSS listener's own URL + /callback_pub_key_v1.pem. */
  publicKeyUrl?: string;
}

/** One allowed callback host: a host name, `*.` and a domain, or an address (IPv6 with or without brackets). */
function callbackHost(entry: string, source: string): string {
  const h = entry.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (isIP(h) === 6) return new URL(`http://[${h}]`).hostname.replace(/^\[|\]$/g, '');
  if (isIP(h) === 4 || /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(h)) return h;
  throw new SettingError(`${source} must list host names (*.example.com for every name under example.com) or addresses, or be none, not "${entry}"`);
}

/**
 * Given values (flags, tests) first, then RAMPART_OSS_CALLBACK_HOSTS (a,b,*.example.com, or none;
 * unset: any host, as OSS), RAMPART_OSS_CALLBACK_REFUSE_PRIVATE, RAMPART_OSS_CALLBACK_KEY_URL.
 */
export function ossCallbackSettings(given: Partial<OssCallbackConfig> | undefined, env: NodeJS.ProcessEnv): OssCallbackConfig {
  const hostsText = text(env, 'RAMPART_OSS_CALLBACK_HOSTS');
  const listed = given?.allowedHosts ?? (hostsText === undefined ? undefined : hostsText.trim().toLowerCase() === 'none' ? [] : hostsText.split(',').filter((h) => h.trim() !== ''));
  const allowedHosts = listed?.map((h) => callbackHost(h, given?.allowedHosts ? 'the allowed callback hosts' : 'RAMPART_OSS_CALLBACK_HOSTS'));
  const publicKeyUrl = given?.publicKeyUrl ?? text(env, 'RAMPART_OSS_CALLBACK_KEY_URL');
  if (publicKeyUrl !== undefined && !/^https?:\/\/[^/\s]+\/\S*$/.test(publicKeyUrl)) throw new SettingError(`The callback public key URL (--oss-callback-key-url, RAMPART_OSS_CALLBACK_KEY_URL) must be an http or https URL with a path, not "${publicKeyUrl}"`);
  return {
    ...DEFAULT_CALLBACK_SETTINGS,
    refusePrivateAddresses: given?.refusePrivateAddresses ?? flag(env, 'RAMPART_OSS_CALLBACK_REFUSE_PRIVATE'),
    ...(given?.timeoutMs !== undefined ? { timeoutMs: given.timeoutMs } : {}),
    ...(given?.maxResponseBytes !== undefined ? { maxResponseBytes: given.maxResponseBytes } : {}),
    ...(allowedHosts !== undefined ? { allowedHosts } : {}),
    ...(publicKeyUrl !== undefined ? { publicKeyUrl } : {}),
  };
}

/**
 * CA certificates (PEM) trusted, besides Node's bundled roots, for the https endpoints of OIDC
 * providers' issuers (a private CA): the file named by RAMPART_OIDC_CA_FILE, one or more PEMs.
 */
export function oidcCaCertificates(env: NodeJS.ProcessEnv): string[] {
  const file = text(env, 'RAMPART_OIDC_CA_FILE');
  if (file === undefined) return [];
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SettingError(`RAMPART_OIDC_CA_FILE names a file that cannot be read: ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new SettingError(`RAMPART_OIDC_CA_FILE must hold PEM certificates: ${file}`);
  return [pem];
}
