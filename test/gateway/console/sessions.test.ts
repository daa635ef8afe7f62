import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { ConsoleSessions, csrfMatches, type ConsoleSubject, type SignOuts } from '../../../src/gateway/console/sessions.js';
import { SecretBox } from '../../../src/secrets/index.js';
import { FailureCounter } from '../../../src/gateway/console/signin.js';

const root: ConsoleSubject = { kind: 'root', accountId: '1234567890123456', accessKeyId: 'LTAI5tTestRootKey0000001' };
const limits = { idleMs: 1_000, absoluteMs: 5_000 };

/** The store's settings, in memory. */
function settings(): SignOuts & { names: string[] } {
  const values = new Map<string, string>();
  return { names: [], get: async (n) => values.get(n), set: async (n, v) => void values.set(n, v) };
}

const box = () => new SecretBox(randomBytes(32));

describe('console sessions', () => {
  it('opens the session its own cookie holds, and nothing forged, altered or sealed with another key', async () => {
    const key = box();
    const sessions = new ConsoleSessions(key, settings(), limits);
    const session = sessions.create(root, 0);
    const cookie = sessions.seal(session);
    assert.match(cookie, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(await sessions.use(cookie, 10), { ...session, lastSeenMs: 10 });
    const flipped = `${cookie.slice(0, 30)}${cookie[30] === 'A' ? 'B' : 'A'}${cookie.slice(31)}`;
    assert.equal(await sessions.use(flipped, 10), undefined);
    assert.equal(await sessions.use(undefined, 10), undefined);
    assert.equal(await sessions.use('', 10), undefined);
    assert.equal(await sessions.use(`${cookie};`, 10), undefined);
    assert.equal(await new ConsoleSessions(box(), settings(), limits).use(cookie, 10), undefined, 'another master key');
    assert.ok(await new ConsoleSessions(key, settings(), limits).use(cookie, 10), 'another node with the same key');
  });

  it('keeps nothing in the cookie in clear, and gives each session a fresh sid and CSRF token', () => {
    const sessions = new ConsoleSessions(box(), settings(), limits);
    const a = sessions.create(root, 0);
    const b = sessions.create(root, 0);
    assert.notEqual(a.sid, b.sid);
    assert.notEqual(a.csrfToken, b.csrfToken);
    const text = Buffer.from(sessions.seal(a), 'base64url').toString('utf8');
    for (const secret of [a.csrfToken, a.sid, root.accessKeyId]) assert.ok(!text.includes(secret));
  });

  it('ends a session left idle, and each use (re-sealed) keeps it alive until the absolute bound', async () => {
    const sessions = new ConsoleSessions(box(), settings(), limits);
    const idle = sessions.seal(sessions.create(root, 0));
    assert.equal(await sessions.use(idle, 1_001), undefined, 'idle past the bound');

    let cookie = sessions.seal(sessions.create(root, 0));
    for (let t = 900; t <= 4_500; t += 900) {
      const s = await sessions.use(cookie, t);
      assert.ok(s, `alive at ${t}`);
      cookie = sessions.seal(s);
    }
    assert.equal(await sessions.use(cookie, 5_001), undefined, 'past the absolute bound, however busy');
  });

  it('ends a signed-out session on every node that shares the store, and only that one', async () => {
    const key = box();
    const shared = settings();
    const here = new ConsoleSessions(key, shared, limits);
    const there = new ConsoleSessions(key, shared, limits);
    const a = here.create(root, 0);
    const b = here.create(root, 0);
    await here.end(a);
    assert.equal(await there.use(here.seal(a), 1), undefined);
    assert.ok(await there.use(here.seal(b), 1));
  });

  it('matches the CSRF header only when it is exactly the session\'s token', () => {
    const session = new ConsoleSessions(box(), settings(), limits).create(root, 0);
    assert.equal(csrfMatches(session, session.csrfToken), true);
    assert.equal(csrfMatches(session, undefined), false);
    assert.equal(csrfMatches(session, ''), false);
    assert.equal(csrfMatches(session, [session.csrfToken, session.csrfToken]), false);
    assert.equal(csrfMatches(session, `${session.csrfToken}x`), false);
  });
});

describe('sign-in failure counting', () => {
  it('blocks a key after its limit of failures until the window has passed', () => {
    const counter = new FailureCounter(3, 60_000);
    for (let i = 0; i < 2; i++) counter.fail('u', 0);
    assert.equal(counter.blockedFor('u', 1), 0);
    counter.fail('u', 2);
    assert.equal(counter.blockedFor('u', 3), 1);
    assert.equal(counter.blockedFor('other', 3), 0);
    assert.equal(counter.blockedFor('u', 60_001), 0, 'a new window');
  });

  it('starts again after a success', () => {
    const counter = new FailureCounter(2, 60_000);
    counter.fail('u', 0);
    counter.forget('u');
    counter.fail('u', 1);
    assert.equal(counter.blockedFor('u', 2), 0);
  });
});
