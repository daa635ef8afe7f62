import assert from 'node:assert/strict';
import { test } from 'node:test';
import { action, Catalog, product } from '../../src/services/index.js';
import { ApiError } from '../../src/model/index.js';

const noop = (name: string) => action({ name, rw: 'Read', params: {}, handle: async () => ({}) });
const catalog = new Catalog([
  product({ code: 'Sts', endpointPrefix: 'sts', version: '2015-04-01', actions: [noop('GetCallerIdentity')] }),
  product({ code: 'Alpha', endpointPrefix: 'alpha', version: '2020-01-01', actions: [noop('Ping')] }),
  product({ code: 'Beta', endpointPrefix: 'beta', version: '2020-01-01', actions: [noop('Ping'), noop('Pong')] }),
]);

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof ApiError ? `${e.httpStatus} ${e.code}` : String(e);
  }
  return 'ok';
};

test('the Version selects the product; its host name breaks ties between products of one version', () => {
  assert.equal(catalog.resolve('2015-04-01', 'GetCallerIdentity', '127.0.0.1:8800').product.code, 'Sts');
  assert.equal(catalog.resolve('2015-04-01', 'GetCallerIdentity', 'sts.cn-hangzhou.aliyuncs.com').product.code, 'Sts');
  assert.equal(catalog.resolve('2020-01-01', 'Ping', 'alpha.example.com').product.code, 'Alpha');
  assert.equal(catalog.resolve('2020-01-01', 'Ping', 'beta.example.com').product.code, 'Beta');
  assert.equal(code(() => catalog.resolve('2020-01-01', 'Ping', '127.0.0.1')), '404 InvalidAction.NotFound');
});

test('unknown and missing names get the real codes', () => {
  assert.equal(code(() => catalog.resolve('2015-04-01', 'AssumeRoleX', 'h')), '404 InvalidAction.NotFound');
  assert.equal(code(() => catalog.resolve('2015-04-01', 'getcalleridentity', 'h')), '404 InvalidAction.NotFound');
  assert.equal(code(() => catalog.resolve('1999-01-01', 'GetCallerIdentity', 'h')), '400 InvalidVersion');
  assert.equal(code(() => catalog.resolve(undefined, 'GetCallerIdentity', 'h')), '400 MissingVersion');
  assert.equal(code(() => catalog.resolve('2015-04-01', '', 'h')), '400 MissingAction');
});
