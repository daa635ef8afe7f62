import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecretBox } from '../../src/secrets/index.js';
import { openSqliteStore, SQLITE_FILE, type AuditEventRow } from '../../src/store/index.js';

const box = new SecretBox(Buffer.alloc(32, 4));
const row = (i: number): AuditEventRow => ({
  eventId: `E-${i}`, accountId: '1000000000000001', eventTime: `2026-11-24T10:00:0${i}Z`, eventName: 'CreateUser', serviceName: 'Ram', eventRW: 'Write',
  requestId: `R-${i}`, accessKeyId: 'LTAI5tAAAAAAAAAAAAAAAAAA', userName: 'root', resourceType: 'ACS::RAM::User', resourceName: `u${i}`, event: JSON.stringify({ i }),
});
const all = { startTime: '2000-01-01T00:00:00Z', endTime: '2100-01-01T00:00:00Z', filters: [], direction: 'FORWARD' as const, limit: 100 };

test('audit file: events live in audit.db, and events an older data directory kept in rampart.db move there once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-audit-'));
  try {
    const first = await openSqliteStore(dir, box);
    await first.audit.append([row(1)]);
    await first.close();
    // An older layout: the events table in the main file, with an event of its own.
    const main = new BetterSqlite3(join(dir, SQLITE_FILE));
    main.exec(`create table audit_events (seq integer primary key autoincrement, event_id varchar(64) not null unique, account_id varchar(32) not null, event_time varchar(32) not null,
      event_name varchar(128) not null, service_name varchar(32) not null, event_rw varchar(8) not null, request_id varchar(64) not null, access_key_id varchar(64) not null,
      user_name varchar(256) not null, resource_type varchar(64) not null, resource_name varchar(1024) not null, event text not null)`);
    const r = row(0);
    main.prepare('insert into audit_events (seq, event_id, account_id, event_time, event_name, service_name, event_rw, request_id, access_key_id, user_name, resource_type, resource_name, event) values (100, ?,?,?,?,?,?,?,?,?,?,?,?)')
      .run(r.eventId, r.accountId, r.eventTime, r.eventName, r.serviceName, r.eventRW, r.requestId, r.accessKeyId, r.userName, r.resourceType, r.resourceName, r.event);
    main.close();

    const second = await openSqliteStore(dir, box);
    const events = await second.audit.query(all);
    assert.deepEqual(events.map((e) => e.eventId).sort(), ['E-0', 'E-1']);
    assert.equal((await second.audit.byRequestId('R-0'))[0]?.event, JSON.stringify({ i: 0 }));
    await second.audit.append([row(2), row(3)]);
    await second.close();

    const check = new BetterSqlite3(join(dir, SQLITE_FILE));
    assert.equal(check.prepare(`select count(*) as n from sqlite_master where name = 'audit_events'`).get() !== undefined, true);
    assert.equal((check.prepare(`select count(*) as n from sqlite_master where name = 'audit_events'`).get() as { n: number }).n, 0, 'the main file no longer has the table');
    check.close();
    const third = await openSqliteStore(dir, box);
    assert.equal((await third.audit.query(all)).length, 4, 'nothing moved twice, nothing lost');
    await third.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('audit file: concurrent appends are all committed, each acknowledged once durable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-audit-'));
  const store = await openSqliteStore(dir, box);
  try {
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.audit.append([{ ...row(i % 10), eventId: `C-${i}`, requestId: `RC-${i}` }])));
    assert.equal((await store.audit.query(all)).length, 50);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
