// Every parameter the official SDKs' models let a caller send to an action Rampart implements is
// either declared (honoured) or listed as refused: none is silently dropped. A new SDK version
// that adds a parameter fails this test until someone decides what it does here.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { defaultCatalog } from '../../src/services/index.js';

const require = createRequire(import.meta.url);
const SDKS: Record<string, string> = { Sts: '@alicloud/sts20150401', Ram: '@alicloud/ram20150501', Ims: '@alicloud/ims20190815', Ecs: '@alicloud/ecs20140526' };

type RequestClass = { names(): Record<string, string> };

for (const product of defaultCatalog().products) {
  const sdk = SDKS[product.code];
  if (sdk === undefined) continue;
  const models = require(sdk) as Record<string, RequestClass | undefined>;
  test(`${product.code}: every SDK model parameter of an implemented action is declared or refused`, () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [name, action] of product.actions) {
      const model = models[`${name}Request`];
      // Actions without parameters have no request model (GetCallerIdentity); our own have none.
      if (model === undefined) continue;
      checked++;
      const wire = new Set(Object.values(model.names()));
      const declared = new Set(Object.keys(action.params));
      const refused = new Set(action.refused ?? []);
      for (const p of wire) if (!declared.has(p) && !refused.has(p)) problems.push(`${name}: ${p} is neither declared nor refused`);
      for (const p of refused) {
        if (declared.has(p)) problems.push(`${name}: ${p} is both declared and refused`);
        if (!wire.has(p)) problems.push(`${name}: ${p} is refused but not in the model`);
      }
    }
    assert.deepEqual(problems, []);
    // IMS's one action here (GetAccountSummary) takes no parameters and so has no model.
    assert.ok(checked > 0 || [...product.actions.values()].every((a) => Object.keys(a.params).length === 0), `${sdk} has models for the actions`);
  });
}
