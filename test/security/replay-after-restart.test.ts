// A signed request captured before a restart cannot be sent again after it: the nonces a server
// accepted are on file (as fingerprints) and a new server reads back those still inside the window.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { capture, replay } from '../helpers/capture.js';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { ROOT, startTestServer } from '../helpers/server.js';
import { ramClient } from '../sdk/ram-client.js';
import { refusal } from './fixture.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rampart-replay-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('RPC and V3 requests replayed after a restart are SignatureNonceUsed, and run once', async () => {
  const first = await startTestServer({ dataDir });
  const rpcBody = encodeParams(signedParams('CreateUser', ROOT, { Version: '2015-05-01', UserName: 'created-once' }));
  assert.equal((await postForm(first.endpoints.api, rpcBody)).status, 200);
  const v3 = await capture((host) => ramClient(host, ROOT)('CreateUser', { UserName: 'created-once-v3' }));
  // The SDK signed for its own host; Rampart checks the Host header against nothing but the signature.
  const sent = await replay(first.endpoints.api, v3);
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  await first.close();

  // Nothing of the nonces themselves is kept, only fingerprints.
  const files = readdirSync(join(dataDir, 'nonces'));
  assert.ok(files.length > 0);
  const kept = files.map((f) => readFileSync(join(dataDir, 'nonces', f), 'utf8')).join('');
  assert.ok(!kept.includes(new URLSearchParams(rpcBody).get('SignatureNonce') ?? '?'), 'no nonce in clear');

  const second = await startTestServer({ dataDir });
  try {
    const again = (await postForm(second.endpoints.api, rpcBody)).json();
    assert.equal(again['Code'], 'SignatureNonceUsed');
    assert.equal((await replay(second.endpoints.api, v3)).body['Code'], 'SignatureNonceUsed');
    const users = ((await ramClient(second.apiHost, ROOT)('ListUsers'))['Users'] as { User: { UserName: string }[] }).User.map((u) => u.UserName);
    assert.deepEqual(users, ['created-once', 'created-once-v3']);
    // Fresh requests are unaffected.
    assert.equal(await refusal(ramClient(second.apiHost, ROOT)('GetUser', { UserName: 'created-once' })), 'succeeded');
  } finally {
    await second.close();
  }
});
