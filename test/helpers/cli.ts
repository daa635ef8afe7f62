// Runs the real `rampart` command in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

export const RAMPART_BIN = fileURLToPath(new URL('../../../bin/rampart.js', import.meta.url));

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
after(() => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Served {
  child: ChildProcess;
  banner: string;
  endpoints: { api: string; oss: string; metadata: string; console: string };
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts `rampart serve` on ephemeral ports and waits for its banner. */
export function serveCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  // Ephemeral ports unless the test sets the listener through the environment.
  const listeners = (['api', 'oss', 'metadata', 'console'] as const).flatMap((name) => (env[`RAMPART_${name.toUpperCase()}`] ? [] : [`--${name}`, '127.0.0.1:0']));
  const child = spawn(process.execPath, [RAMPART_BIN, 'serve', ...listeners, ...args], {
    env: { PATH: process.env['PATH'], RAMPART_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A failed assertion must not leave a server running (and the test file waiting on it).
  running.add(child);
  void exited.then(() => running.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stderr: ${err}`)), 15_000);
    const check = () => {
      if (!/Root account/.test(out) || !out.endsWith('\n')) return;
      clearTimeout(timer);
      const endpoint = (name: string) => /^\s+(\S+)\s+(\S+)/m.exec(out.split('\n').find((l) => l.trim().startsWith(name + ' ')) ?? '')?.[2] ?? '';
      resolve({ child, banner: out, endpoints: { api: endpoint('api'), oss: endpoint('oss'), metadata: endpoint('metadata'), console: endpoint('console') }, stdout: () => out, stderr: () => err, exited });
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`rampart exited with ${code} before its banner; stderr: ${err}`));
    });
  });
}

/** Runs a rampart command to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RAMPART_BIN, ...args], { env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
