// Which product and action a request names. One api endpoint serves every product: the Version
// selects the product; a product host name (sts.<anything>) breaks ties and is checked against it.
import { CommonErrors } from '../model/index.js';
import type { Action, Product } from './action.js';

export interface ResolvedAction {
  product: Product;
  action: Action;
}

export class Catalog {
  readonly #byVersion = new Map<string, Product[]>();

  constructor(readonly products: readonly Product[]) {
    for (const p of products) {
      const list = this.#byVersion.get(p.version) ?? [];
      list.push(p);
      this.#byVersion.set(p.version, list);
    }
  }

  resolve(version: string | undefined, actionName: string | undefined, host: string): ResolvedAction {
    if (version === undefined || version === '') throw CommonErrors.missing('Version');
    if (actionName === undefined || actionName === '') throw CommonErrors.missing('Action');
    const candidates = this.#byVersion.get(version);
    if (candidates === undefined) throw CommonErrors.invalidVersion();
    const label = host.split('.')[0]?.toLowerCase() ?? '';
    const product = candidates.find((p) => p.endpointPrefix === label) ?? (candidates.length === 1 ? candidates[0] : undefined);
    const action = product?.actions.get(actionName);
    if (product === undefined || action === undefined) throw CommonErrors.actionNotFound();
    return { product, action };
  }
}
