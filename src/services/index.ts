export * from './action.js';
export * from './params.js';
export { Catalog, type ResolvedAction } from './catalog.js';
import { Catalog } from './catalog.js';
import { Sts } from './sts/index.js';

export { Sts };

/** Every product the api listener serves. */
export function defaultCatalog(): Catalog {
  return new Catalog([Sts]);
}
