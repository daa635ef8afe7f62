import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHostPort, pick, UsageError } from '../../src/cli/options.js';

test('HOST:PORT forms', () => {
  assert.deepEqual(parseHostPort('127.0.0.1:8800', 'x'), { host: '127.0.0.1', port: 8800 });
  assert.deepEqual(parseHostPort('0.0.0.0:80', 'x'), { host: '0.0.0.0', port: 80 });
  assert.deepEqual(parseHostPort('[::1]:9000', 'x'), { host: '::1', port: 9000 });
  assert.deepEqual(parseHostPort('localhost:1', 'x'), { host: 'localhost', port: 1 });
  assert.deepEqual(parseHostPort(':8800', 'x'), { host: '127.0.0.1', port: 8800 });
  assert.deepEqual(parseHostPort('8800', 'x'), { host: '127.0.0.1', port: 8800 });
  for (const bad of ['', 'host', 'host:', 'host:99999', '::1:80', 'a b:80']) assert.throws(() => parseHostPort(bad, '--api'), UsageError, bad);
});

test('a flag beats the environment, which beats the default; empty variables do not count', () => {
  assert.equal(pick('flag', { X: 'env' }, 'X', 'def'), 'flag');
  assert.equal(pick(undefined, { X: 'env' }, 'X', 'def'), 'env');
  assert.equal(pick(undefined, { X: '' }, 'X', 'def'), 'def');
  assert.equal(pick(undefined, {}, 'X'), undefined);
});
