// RAM users: the list with a filter, and creating one, optionally with an AccessKey whose secret
// is shown this once (it is never fetched again: the API does not give it twice).
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from '../api';
import { ErrorBox, Field, NewKeyNotice, Table, useAction, type NewAccessKey } from '../components';

interface User {
  UserName: string;
  UserId: string;
  DisplayName?: string;
  CreateDate: string;
}

export function UsersPage() {
  const [users, setUsers] = useState<User[]>([]);
  const [filter, setFilter] = useState('');
  const [form, setForm] = useState({ UserName: '', DisplayName: '', withKey: true });
  const [created, setCreated] = useState<{ user: string; key?: NewAccessKey } | undefined>();
  const [error, busy, run] = useAction();
  const load = () => run(async () => setUsers(listOf<User>((await call('ram', 'ListUsers', { MaxItems: '1000' }))['Users'], 'User')));
  useEffect(() => void load(), []);
  const create = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await call('ram', 'CreateUser', { UserName: form.UserName, DisplayName: form.DisplayName });
      const key = form.withKey ? ((await call('ram', 'CreateAccessKey', { UserName: form.UserName }))['AccessKey'] as NewAccessKey) : undefined;
      setCreated({ user: form.UserName, ...(key ? { key } : {}) });
      setForm({ UserName: '', DisplayName: '', withKey: true });
      setUsers(listOf<User>((await call('ram', 'ListUsers', { MaxItems: '1000' }))['Users'], 'User'));
    });
  };
  const shown = users.filter((u) => u.UserName.toLowerCase().includes(filter.toLowerCase()) || (u.DisplayName ?? '').toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <form class="inline" onSubmit={create} aria-label="Create user">
        <Field label="User name">
          <input name="UserName" required value={form.UserName} onInput={(e) => setForm({ ...form, UserName: (e.target as HTMLInputElement).value })} />
        </Field>
        <Field label="Display name">
          <input name="DisplayName" value={form.DisplayName} onInput={(e) => setForm({ ...form, DisplayName: (e.target as HTMLInputElement).value })} />
        </Field>
        <label class="check">
          <input type="checkbox" name="withKey" checked={form.withKey} onChange={(e) => setForm({ ...form, withKey: (e.target as HTMLInputElement).checked })} />
          Generate an AccessKey
        </label>
        <button type="submit" disabled={busy}>
          Create user
        </button>
      </form>
      {created?.key && <NewKeyNotice userName={created.user} accessKey={created.key} onDone={() => setCreated(undefined)} />}
      <ErrorBox error={error} />
      <Field label="Filter users">
        <input type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      </Field>
      <Table head={['User name', 'Display name', 'Created']}>
        {shown.map((u) => (
          <tr key={u.UserId}>
            <td>
              <a href={`#/users/${encodeURIComponent(u.UserName)}`}>{u.UserName}</a>
            </td>
            <td>{u.DisplayName}</td>
            <td>{u.CreateDate}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
