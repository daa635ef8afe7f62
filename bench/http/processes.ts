// The processes of an HTTP benchmark: the server under test and the baseline each run in a child
// process of their own, and so does the load generator; this process only orchestrates.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const distFile = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** Starts node with args and resolves once a stdout line matches `ready`, with that match. */
export async function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: Child; match: RegExpExecArray; lines: string[] }> {
  const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.stderr.resume();
  const lines: string[] = [];
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    }
    running.delete(proc);
  };
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout });
    const keep = process.env['BENCH_SERVER_OUT'];
    let isReady = false;
    rl.on('line', (line) => {
      if (keep !== undefined) appendFileSync(keep, `${line}\n`);
      if (isReady) return;
      lines.push(line);
      const m = ready.exec(line);
      if (m) {
        isReady = true;
        resolve(m);
      }
    });
    proc.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready:\n${lines.join('\n')}`)));
  });
  return { child: { process: proc, stop }, match, lines };
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined off Linux. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = 100;

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU time per request in microseconds, when it could be read. */
  cpuMicros?: number;
  /** The load generator's own CPU time per request (start-up included), in microseconds. */
  generatorCpuMicros: number;
}

/** Runs the load generator against url with a pool file: `amount` requests over `connections`. */
export async function runLoad(url: string, poolFile: string, connections: number, amount: number, serverPid?: number): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(serverPid);
  const proc = spawn(process.execPath, [distFile('./load-child.js'), url, poolFile, String(connections), String(amount)], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(proc);
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (d: string) => (out += d));
  const [code] = (await once(proc, 'exit')) as [number | null];
  running.delete(proc);
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const result = JSON.parse(out.trim()) as LoadResult;
  const cpuAfter = cpuSeconds(serverPid);
  if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuMicros = ((cpuAfter - cpuBefore) / result.requests) * 1e6;
  return result;
}
