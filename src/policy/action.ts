// Action patterns: `service:Action`, compared without regard to case ("generally not
// case-sensitive" in the real service). Patterns and requests are lower-cased once each.
import { compileWildcard, type Wildcard } from './wildcard.js';

export function compileAction(pattern: string): Wildcard {
  return compileWildcard(pattern.toLowerCase());
}

/** The service part of an action pattern, or undefined when it has wildcards (or is `*`). */
export function actionService(pattern: string): string | undefined {
  const colon = pattern.indexOf(':');
  if (colon < 0) return undefined;
  const service = pattern.slice(0, colon).toLowerCase();
  return /[*?]/.test(service) ? undefined : service;
}

const lowered = new Map<string, string>();

/** Lower-cases a request's action, remembering the few hundred names a server sees. */
export function normalizeAction(action: string): string {
  let l = lowered.get(action);
  if (l === undefined) {
    l = action.toLowerCase();
    if (lowered.size < 10_000) lowered.set(action, l);
  }
  return l;
}
