// One user: its AccessKeys (create, enable, disable, delete), its policies, deleting it.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from '../api';
import { ErrorBox, NewKeyNotice, Table, useAction, type NewAccessKey } from '../components';
import { LoginProfile } from '../login-profile';
import { MfaDevice } from '../mfa-device';
import { AttachedPolicies } from '../policies-attached';

interface Key {
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
}

export function UserDetailPage({ userName }: { userName: string }) {
  const [keys, setKeys] = useState<Key[]>([]);
  const [secret, setSecret] = useState<NewAccessKey | undefined>();
  const [error, busy, run] = useAction();
  const reload = async () => setKeys(listOf<Key>((await call('ram', 'ListAccessKeys', { UserName: userName }))['AccessKeys'], 'AccessKey'));
  useEffect(() => void run(reload), [userName]);
  const act = (work: () => Promise<unknown>) => run(async () => {
    await work();
    await reload();
  });
  return (
    <section aria-labelledby="user-title">
      <p>
        <a href="#/users">Users</a> /
      </p>
      <h2 id="user-title">{userName}</h2>
      <ErrorBox error={error} />
      <h3>AccessKeys</h3>
      <button type="button" disabled={busy} onClick={() => void act(async () => setSecret((await call('ram', 'CreateAccessKey', { UserName: userName }))['AccessKey'] as NewAccessKey))}>
        Create AccessKey
      </button>
      {secret && <NewKeyNotice userName={userName} accessKey={secret} onDone={() => setSecret(undefined)} />}
      <Table head={['AccessKey ID', 'Status', 'Created', '']}>
        {keys.map((k) => (
          <tr key={k.AccessKeyId}>
            <td>
              <code>{k.AccessKeyId}</code>
            </td>
            <td>{k.Status}</td>
            <td>{k.CreateDate}</td>
            <td>
              <button type="button" disabled={busy} onClick={() => void act(() => call('ram', 'UpdateAccessKey', { UserName: userName, UserAccessKeyId: k.AccessKeyId, Status: k.Status === 'Active' ? 'Inactive' : 'Active' }))}>
                {k.Status === 'Active' ? 'Disable' : 'Enable'}
              </button>
              <button type="button" disabled={busy} onClick={() => void act(() => call('ram', 'DeleteAccessKey', { UserName: userName, UserAccessKeyId: k.AccessKeyId }))}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </Table>
      <AttachedPolicies holder={{ kind: 'User', name: userName }} />
      <LoginProfile userName={userName} />
      <MfaDevice userName={userName} />
      <h3>Delete</h3>
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            if (!confirm(`Delete the user ${userName}?`)) return;
            await call('ram', 'DeleteUser', { UserName: userName });
            location.hash = '#/users';
          })
        }
      >
        Delete user
      </button>
    </section>
  );
}
