// Action patterns: `service:Action`, compared without regard to case ("generally not
// case-sensitive" in the real service). Patterns are lower-cased once, and so is each action a
// policy set is asked about (statement-index.ts).
import { compileWildcard, type Wildcard } from './wildcard.js';

export function compileAction(pattern: string): Wildcard {
  return compileWildcard(pattern.toLowerCase());
}
