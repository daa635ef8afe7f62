// Listener addresses and the data directory: from flags, else the environment, else defaults.
import type { HostPort } from '../server/index.js';

export class UsageError extends Error {}

export const DEFAULTS = {
  api: '127.0.0.1:8800',
  oss: '127.0.0.1:8801',
  metadata: '127.0.0.1:8802',
  console: '127.0.0.1:8803',
  data: './.rampart',
} as const;

/** Reads HOST:PORT, [IPv6]:PORT, or a bare PORT (loopback). */
export function parseHostPort(text: string, what: string): HostPort {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(text) ?? /^()()(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new UsageError(`${what} must be HOST:PORT (e.g. 127.0.0.1:8800), not "${text}"`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

export function pick(flag: string | undefined, env: NodeJS.ProcessEnv, envName: string, fallback: string): string;
export function pick(flag: string | undefined, env: NodeJS.ProcessEnv, envName: string): string | undefined;
export function pick(flag: string | undefined, env: NodeJS.ProcessEnv, envName: string, fallback?: string): string | undefined {
  if (flag !== undefined) return flag;
  const value = env[envName];
  return value !== undefined && value !== '' ? value : fallback;
}
