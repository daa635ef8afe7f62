// Row: what AssumeRole writes to the database. Issuing a session is sealing a token, not storing
// one, so the identity database must not grow by a byte; the only write is the audit event, which
// lives in its own file and is reported beside the row. Measured from outside the server: both
// files' write-ahead logs are emptied, AssumeRole runs, and whatever reached them is counted.
import BetterSqlite3 from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from './harness.js';
import { signedRpc } from './http/pool.js';
import { SESSION_POLICY, startRampartUnderTest } from './http/rampart.js';

const walBytes = (file: string) => {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
};

/** Empties the file's write-ahead log into it; the next write anyone commits starts a new one. */
function truncateWal(file: string): void {
  const db = new BetterSqlite3(file);
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result?.busy !== 0) throw new Error(`${file}: the server held the write-ahead log; cannot measure`);
  } finally {
    db.close();
  }
}

export async function writeRows(calls = 2000): Promise<Row[]> {
  const r = await startRampartUnderTest();
  try {
    const main = join(r.dataDir, 'rampart.db');
    const audit = join(r.dataDir, 'audit.db');
    const host = new URL(r.api).host;
    const assume = async () => {
      const req = signedRpc('AssumeRole', '2015-04-01', r.user, { RoleArn: r.roleArn, RoleSessionName: 'd-001', Policy: SESSION_POLICY, DurationSeconds: '3600' }, host);
      const res = await fetch(`${r.api}/`, { method: 'POST', headers: req.headers, body: req.body });
      if (res.status !== 200) throw new Error(`AssumeRole answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    await assume();
    truncateWal(main);
    truncateWal(audit);
    const before = { main: statSync(main).size, mainWal: walBytes(main), auditWal: walBytes(audit) };
    for (let i = 0; i < calls; i += 8) await Promise.all(Array.from({ length: Math.min(8, calls - i) }, assume));
    const written = statSync(main).size - before.main + walBytes(main) - before.mainWal;
    const auditPerCall = (walBytes(audit) - before.auditWal) / calls;
    // The instrument must see a write when there is one: a single CreateUser has to show up.
    const probe = signedRpc('CreateUser', '2015-05-01', r.root, { UserName: 'write-probe' }, host);
    const created = await fetch(`${r.api}/`, { method: 'POST', headers: probe.headers, body: probe.body });
    if (created.status !== 200 || walBytes(main) - before.mainWal + statSync(main).size - before.main <= written) {
      throw new Error('a CreateUser left no trace in rampart.db: the measurement cannot see writes');
    }
    return [
      {
        row: 'bytes written to rampart.db per AssumeRole (audit excluded)',
        figure: written / calls,
        baseline: 0,
        unit: 'B',
        ratio: Number.NaN,
        target: '0',
        met: written === 0,
        notes: `${calls} AssumeRole calls; the audit file took ${Math.round(auditPerCall)} B per event (write-ahead log, ${calls} events)`,
      },
    ];
  } finally {
    await r.stop();
  }
}
