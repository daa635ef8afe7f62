// The URL of a server Rampart uses (PostgreSQL, Redis): its scheme checked, and the one query
// parameter that is Rampart's own (a schema, a key prefix) checked and taken out, so the driver
// is handed only what it understands.
import { StoreUrlError } from './repositories.js';

export interface ServerUrlRules {
  /** How a message names the setting: "the store", "Redis". */
  what: string;
  example: string;
  protocols: readonly string[];
  /** Which schemes, in words: "a postgres://". */
  schemes: string;
  param: string;
  valid: RegExp;
  /** Why a value of the parameter that does not match `valid` is refused. */
  invalid: string;
}

export function parseServerUrl(text: string, rules: ServerUrlRules): { url: string; param: string | undefined } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreUrlError(`${rules.what} must be a URL such as ${rules.example}`);
  }
  if (!rules.protocols.includes(url.protocol)) throw new StoreUrlError(`${rules.what} must be ${rules.schemes} URL, not ${url.protocol}//`);
  const param = url.searchParams.get(rules.param) ?? undefined;
  if (param !== undefined && !rules.valid.test(param)) throw new StoreUrlError(rules.invalid);
  url.searchParams.delete(rules.param);
  return { url: url.toString(), param };
}
