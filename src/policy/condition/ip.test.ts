import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inRange, IP_OPERATORS, parseIp, parseIpRange } from './ip.js';
import { compileTest, InvalidValue } from './operator.js';

test('IPv4 and IPv6 parsing, including :: forms and embedded IPv4', () => {
  assert.deepEqual([...(parseIp('10.1.2.3') ?? [])], [10, 1, 2, 3]);
  assert.deepEqual([...(parseIp('::ffff:10.1.2.3') ?? [])], [10, 1, 2, 3], 'IPv4-mapped becomes IPv4');
  assert.equal(parseIp('::1')?.length, 16);
  assert.equal(parseIp('2001:db8::1')?.[15], 1);
  assert.equal(parseIp('2001:DB8:0:0:0:0:0:1')?.[3], 0xb8);
  assert.equal(parseIp('64:ff9b::192.0.2.33')?.[15], 33);
  for (const bad of ['10.1.2', '10.1.2.256', '01.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80::1%eth0', 'abc', '']) {
    assert.equal(parseIp(bad), undefined, bad);
  }
});

test('ranges: prefixes on and off byte boundaries, /0 and full length', () => {
  const r = (t: string) => {
    const range = parseIpRange(t);
    assert.ok(range, t);
    return range;
  };
  const ip = (t: string) => {
    const v = parseIp(t);
    assert.ok(v, t);
    return v;
  };
  assert.equal(inRange(ip('10.15.0.1'), r('10.0.0.0/12')), true);
  assert.equal(inRange(ip('10.16.0.1'), r('10.0.0.0/12')), false);
  assert.equal(inRange(ip('1.2.3.4'), r('0.0.0.0/0')), true);
  assert.equal(inRange(ip('1.2.3.4'), r('1.2.3.4/32')), true);
  assert.equal(inRange(ip('1.2.3.5'), r('1.2.3.4')), false);
  assert.equal(inRange(ip('2001:db8:ffff::1'), r('2001:db8::/32')), true);
  assert.equal(inRange(ip('2001:db8::1'), r('2001:db8::/127')), true);
  assert.equal(inRange(ip('2001:db8::2'), r('2001:db8::/127')), false);
  assert.equal(inRange(ip('10.0.0.1'), r('::/0')), false, 'IPv6 ranges do not hold IPv4 callers');
  assert.equal(parseIpRange('10.0.0.0/33'), undefined);
  assert.equal(parseIpRange('::/129'), undefined);
});

test('IpAddress and NotIpAddress', () => {
  const make = (name: string, values: string[]) => {
    const spec = IP_OPERATORS[name];
    assert.ok(spec);
    const t = compileTest(spec, values);
    assert.ok(!(t instanceof InvalidValue));
    return t;
  };
  assert.equal(make('IpAddress', ['10.0.0.0/8', '2001:db8::/32'])('2001:db8::9'), true);
  assert.equal(make('NotIpAddress', ['10.0.0.0/8'])('11.0.0.1'), true);
  assert.equal(make('NotIpAddress', ['10.0.0.0/8'])('10.0.0.1'), false);
  const spec = IP_OPERATORS['IpAddress'];
  assert.ok(spec);
  assert.ok(compileTest(spec, ['10.0.0.0/40']) instanceof InvalidValue);
});
