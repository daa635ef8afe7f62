// A policy set's statements by the action a request names. Whether a statement names an action
// depends on nothing else in the request, and a server asks about few actions, so each action's
// statements are picked out once, the first time it is asked about: a decision then looks only
// at statements that name its action, and matches no action pattern at all.
import type { CompiledPolicy, CompiledStatement } from './compile.js';
import { anyMatches } from './wildcard.js';

/** The statements that name one action, in policy order, Deny and Allow apart. */
export interface ActionStatements {
  denies: readonly CompiledStatement[];
  allows: readonly CompiledStatement[];
}

/** Action spellings remembered per set; a set that sees more starts over (memory stays bounded). */
const MAX_ACTIONS = 1024;

/** action: lower-cased, as the patterns are (action.ts). */
function namesAction(s: CompiledStatement, action: string): boolean {
  if (s.actions !== undefined) return anyMatches(s.actions, action);
  return s.notActions === undefined || !anyMatches(s.notActions, action);
}

export class StatementIndex {
  readonly #statements: readonly CompiledStatement[];
  readonly #byAction = new Map<string, ActionStatements>();

  constructor(policies: readonly CompiledPolicy[]) {
    this.#statements = policies.flatMap((p) => p.statements);
  }

  get size(): number {
    return this.#statements.length;
  }

  /** Keyed by the action as the request spells it: a hit costs no lower-casing. */
  forAction(action: string): ActionStatements {
    let found = this.#byAction.get(action);
    if (found === undefined) {
      found = this.#select(action.toLowerCase());
      if (this.#byAction.size >= MAX_ACTIONS) this.#byAction.clear();
      this.#byAction.set(action, found);
    }
    return found;
  }

  #select(action: string): ActionStatements {
    const denies: CompiledStatement[] = [];
    const allows: CompiledStatement[] = [];
    for (const s of this.#statements) if (namesAction(s, action)) (s.effect === 'Deny' ? denies : allows).push(s);
    return { denies, allows };
  }
}
