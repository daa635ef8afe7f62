// One action of the catalog, named and given its parameters by a front door (the api listener's
// signed requests, the console's session calls): the event it is audited as, and its preparation —
// every parameter checked, every permission it needs named. The doors differ only in how they name
// the action and who the caller is; what the action may do and how it is recorded is the same.
import { CommonErrors, type Principal } from '../model/index.js';
import { parseParams, type Check, type RequestFacts, type ResolvedAction, type Services } from '../services/index.js';
import type { EventType } from './audit/sink.js';
import type { Identified } from './lifecycle.js';

export interface DoorParameters {
  /** Parameters of the door's own (signature fields) that are not request content: never audited. */
  notAudited: ReadonlySet<string>;
  /** Parameters of the door's own that any action may come with. */
  common: ReadonlySet<string>;
  /** The event's kind, when not an API call. */
  type?: EventType;
}

/**
 * Fail closed: a parameter the action does not declare is refused, not dropped (a filter that
 * was ignored would answer with everything). Flattened lists (Tag.1.Key) count by their name.
 */
function refuseUndeclared(action: ResolvedAction['action'], params: ReadonlyMap<string, string>, common: ReadonlySet<string>): void {
  for (const name of params.keys()) {
    if (common.has(name) || Object.hasOwn(action.params, name) || action.numbered?.test(name)) continue;
    throw CommonErrors.unsupportedParameter(name.split('.')[0] ?? name);
  }
}

export function catalogOperation(
  { product, action }: ResolvedAction,
  principal: Principal,
  given: ReadonlyMap<string, string>,
  facts: RequestFacts,
  services: Services,
  door: DoorParameters,
): Identified<object> {
  return {
    caller: principal,
    event: {
      serviceName: product.code,
      apiVersion: product.version,
      name: action.name,
      rw: action.rw,
      parameters: [...given].filter(([k]) => !door.notAudited.has(k)),
      // A role of another account is assumed in both: the partner audits its own users too.
      ...(action.foreignResource ? { sharedWithCaller: true } : {}),
      ...(door.type ? { type: door.type } : {}),
    },
    async prepare() {
      refuseUndeclared(action, given, door.common);
      const params = parseParams(action.params, given);
      const checks: Check[] = [];
      if (action.permission !== undefined) {
        const named = [(await action.resource?.(params, principal, services)) ?? '*'].flat();
        // Nothing named is not nothing checked: it is checked as everything.
        for (const resource of named.length > 0 ? named : ['*']) {
          checks.push({ permission: action.permission, resource, ...(action.foreignResource ? { foreignResource: true } : {}) });
        }
      }
      checks.push(...(action.alsoRequires?.(params, principal) ?? []));
      // An anonymous action's event is about the resource it names (the role a token asks for).
      const about = action.anonymous && action.permission === undefined ? [(await action.resource?.(params, principal, services)) ?? []].flat()[0] : undefined;
      return {
        checks,
        ...(about !== undefined ? { resource: about } : {}),
        run: () => action.handle(params, { caller: principal, request: facts, services }),
        responseElements: (result) => result,
      };
    },
  };
}
