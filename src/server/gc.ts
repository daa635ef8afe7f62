// How the server process collects garbage. V8 marks the old generation on background threads
// while the program runs ("concurrent marking"), which pays off for big heaps on many cores. A
// Rampart's heap is small (tens of megabytes: caches and nonce tables) and it often runs on two
// cores, where those threads compete with the request thread for the same cores and add their own
// synchronisation: measured with the HTTP benchmark rows on a 2-core machine, turning them off cut
// the server's CPU per request by about a fifth and raised its throughput by about a quarter. The
// old generation is still marked incrementally, in short steps on the request thread.
// RAMPART_CONCURRENT_GC=1 keeps V8's default (a large directory on a machine with cores to spare).
import { setFlagsFromString } from 'node:v8';
import { flag } from './settings.js';

/** Applied once, before the server starts; V8 reads the setting at the start of each marking. */
export function tuneGarbageCollector(env: NodeJS.ProcessEnv): void {
  if (flag(env, 'RAMPART_CONCURRENT_GC')) return;
  setFlagsFromString('--no-concurrent-marking');
}
