// `rampart serve --workers N`: N processes of one node on one machine, sharing its listeners
// (node:cluster hands each new connection to one of them) and sharing their state the way nodes
// do (the PostgreSQL store, Redis), so one big machine uses all its cores. The first worker starts
// alone (it migrates, creates the root account and the TLS files), the others once it is up; the
// primary prints the first worker's banner, passes SIGTERM and SIGINT on, and exits when they have.
import cluster, { type Worker } from 'node:cluster';
import { UsageError } from './options.js';

export const MAX_WORKERS = 64;

export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_WORKERS)) throw new UsageError(`--workers must be a number from 1 to ${MAX_WORKERS}, not "${text}"`);
  return n;
}

interface Ready {
  rampart: 'ready';
  banner: string;
}

const isReady = (m: unknown): m is Ready => (m as Ready | null)?.rampart === 'ready';

/** In a worker: tells the primary this worker is serving (with the banner it would print). */
export function reportReady(banner: string): void {
  process.send?.({ rampart: 'ready', banner } satisfies Ready);
}

export const isWorker = (): boolean => cluster.isWorker;

/** In the primary: runs the workers until a signal stops them all; resolves with the exit code. */
export async function runWorkers(count: number): Promise<number> {
  const workers: Worker[] = [];
  let stopping = false;
  const exited = (w: Worker) => new Promise<number>((resolve) => w.once('exit', (code) => resolve(code ?? 1)));
  const start = () =>
    new Promise<{ worker: Worker; banner: string }>((resolve, reject) => {
      const worker = cluster.fork();
      workers.push(worker);
      worker.on('message', (m: unknown) => {
        if (isReady(m)) resolve({ worker, banner: m.banner });
      });
      worker.once('exit', (code) => reject(new Error(`a worker exited with ${code} before it was serving`)));
    });
  const stop = (signal: NodeJS.Signals) => {
    // A second signal: stop without waiting for in-flight requests.
    const now: NodeJS.Signals = stopping ? 'SIGKILL' : signal;
    stopping = true;
    for (const w of workers) if (!w.isDead()) w.process.kill(now);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    const first = await start();
    await Promise.all(Array.from({ length: count - 1 }, start));
    process.stdout.write(first.banner.replace('Rampart is running.', `Rampart is running (${count} workers).`));
  } catch (e) {
    stop('SIGTERM');
    await Promise.all(workers.map(exited));
    throw e;
  }
  // A worker that dies while the others serve is not replaced: the node stops, loudly, so whatever
  // supervises it restarts it whole.
  const codes = await Promise.race([
    Promise.all(workers.map(exited)),
    Promise.race(workers.map(exited)).then(async (code) => {
      if (!stopping) {
        process.stderr.write(`rampart serve: a worker exited (${code}); stopping the others\n`);
        stop('SIGTERM');
      }
      return Promise.all(workers.map(exited));
    }),
  ]);
  return codes.every((c) => c === 0) && stopping ? 0 : 1;
}
