import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsoleSessions, csrfMatches, type ConsoleSubject } from '../../../src/gateway/console/sessions.js';
import { FailureCounter } from '../../../src/gateway/console/signin.js';

const root: ConsoleSubject = { kind: 'root', accountId: '1234567890123456', accessKeyId: 'LTAI5tTestRootKey0000001' };
const limits = { idleMs: 1_000, absoluteMs: 5_000, max: 3 };

describe('console sessions', () => {
  it('finds a session by the id the browser holds, and by nothing else', () => {
    const sessions = new ConsoleSessions(limits);
    const { id, session } = sessions.create(root, 0);
    assert.equal(sessions.use(id, 10), session);
    assert.equal(sessions.use(`${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`, 10), undefined);
    assert.equal(sessions.use(undefined, 10), undefined);
    assert.equal(sessions.use('', 10), undefined);
    assert.equal(sessions.use(`${id};`, 10), undefined);
  });

  it('keeps only a digest of the id, and a fresh id and CSRF token per session', () => {
    const sessions = new ConsoleSessions(limits);
    const a = sessions.create(root, 0);
    const b = sessions.create(root, 0);
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.session.csrfToken, b.session.csrfToken);
    assert.ok(!JSON.stringify(a.session).includes(a.id));
    assert.match(a.id, /^[A-Za-z0-9_-]{43}$/);
  });

  it('ends a session left idle, and each use keeps it alive until the absolute bound', () => {
    const sessions = new ConsoleSessions(limits);
    const idle = sessions.create(root, 0);
    assert.equal(sessions.use(idle.id, 1_001), undefined, 'idle past the bound');
    assert.equal(sessions.use(idle.id, 1_002), undefined, 'and gone for good');

    const busy = sessions.create(root, 0);
    for (let t = 900; t <= 4_500; t += 900) assert.ok(sessions.use(busy.id, t), `alive at ${t}`);
    assert.equal(sessions.use(busy.id, 5_001), undefined, 'past the absolute bound, however busy');
  });

  it('ends a session at sign-out and all of a subject\'s sessions at once', () => {
    const sessions = new ConsoleSessions(limits);
    const a = sessions.create(root, 0);
    const b = sessions.create({ kind: 'user', accountId: '1', userId: 'u1' }, 0);
    sessions.end(a.id);
    assert.equal(sessions.use(a.id, 1), undefined);
    sessions.endAllOf((s) => s.kind === 'user' && s.userId === 'u1');
    assert.equal(sessions.use(b.id, 1), undefined);
  });

  it('forgets the least recently used session past the bound on their number', () => {
    const sessions = new ConsoleSessions(limits);
    const [a, b, c] = [sessions.create(root, 0), sessions.create(root, 0), sessions.create(root, 0)];
    assert.ok(sessions.use(a!.id, 1));
    sessions.create(root, 2);
    assert.equal(sessions.size, 3);
    assert.equal(sessions.use(b!.id, 3), undefined, 'b was the least recently used');
    assert.ok(sessions.use(a!.id, 3));
    assert.ok(sessions.use(c!.id, 3));
  });

  it('matches the CSRF header only when it is exactly the session\'s token', () => {
    const { session } = new ConsoleSessions(limits).create(root, 0);
    assert.equal(csrfMatches(session, session.csrfToken), true);
    assert.equal(csrfMatches(session, undefined), false);
    assert.equal(csrfMatches(session, ''), false);
    assert.equal(csrfMatches(session, [session.csrfToken, session.csrfToken]), false);
    assert.equal(csrfMatches(session, session.csrfToken.toUpperCase() === session.csrfToken ? `${session.csrfToken}x` : session.csrfToken.toUpperCase()), false);
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
