// The server certificate names every address it is for, IPv6 included: an IPv4-mapped address
// (::ffff:1.2.3.4) once came out as the wrong bytes, and a client checking it was refused.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { createCa, issueServerCertificate } from '../../src/tls/certificate.js';

test('subjectAltName carries each name and address as written', () => {
  const ca = createCa(new Date());
  const cert = new X509Certificate(issueServerCertificate(ca, ['localhost', '127.0.0.1', '::1', '2001:db8::7', '::ffff:10.1.2.3'], new Date()).certPem);
  const names = (cert.subjectAltName ?? '').split(', ');
  for (const expected of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', 'IP Address:2001:DB8:0:0:0:0:0:7', 'IP Address:0:0:0:0:0:FFFF:A01:203']) {
    assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
  }
  assert.equal(cert.checkIP('2001:db8::7'), '2001:db8::7');
  assert.equal(cert.checkIP('::ffff:10.1.2.3'), '::ffff:10.1.2.3');
});
