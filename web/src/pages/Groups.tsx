// RAM groups: the list with a filter and creating one; a group's members (add, remove), its
// policies, its comments, deleting it.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from '../api';
import { ErrorBox, Field, Table, useAction } from '../components';
import { AttachedPolicies } from '../policies-attached';

interface Group {
  GroupName: string;
  GroupId: string;
  Comments: string;
  CreateDate: string;
}

interface Member {
  UserName: string;
  UserId: string;
  JoinDate: string;
}

export function GroupsPage() {
  const [groups, setGroups] = useState<Group[]>([]);
  const [filter, setFilter] = useState('');
  const [form, setForm] = useState({ GroupName: '', Comments: '' });
  const [error, busy, run] = useAction();
  const reload = async () => setGroups(listOf<Group>((await call('ram', 'ListGroups', { MaxItems: '100' }))['Groups'], 'Group'));
  useEffect(() => void run(reload), []);
  const create = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await call('ram', 'CreateGroup', form);
      setForm({ GroupName: '', Comments: '' });
      await reload();
    });
  };
  const shown = groups.filter((g) => g.GroupName.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      <form class="inline" onSubmit={create} aria-label="Create group">
        <Field label="Group name">
          <input name="GroupName" required value={form.GroupName} onInput={(e) => setForm({ ...form, GroupName: (e.target as HTMLInputElement).value })} />
        </Field>
        <Field label="Comments">
          <input name="Comments" value={form.Comments} onInput={(e) => setForm({ ...form, Comments: (e.target as HTMLInputElement).value })} />
        </Field>
        <button type="submit" disabled={busy}>
          Create group
        </button>
      </form>
      <ErrorBox error={error} />
      <Field label="Filter groups">
        <input type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      </Field>
      <Table head={['Group', 'Comments', 'Created']}>
        {shown.map((g) => (
          <tr key={g.GroupId}>
            <td>
              <a href={`#/groups/${encodeURIComponent(g.GroupName)}`}>{g.GroupName}</a>
            </td>
            <td>{g.Comments}</td>
            <td>{g.CreateDate}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

export function GroupDetailPage({ groupName }: { groupName: string }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [users, setUsers] = useState<{ UserName: string }[]>([]);
  const [choice, setChoice] = useState('');
  const [error, busy, run] = useAction();
  const reload = async () => setMembers(listOf<Member>((await call('ram', 'ListUsersForGroup', { GroupName: groupName }))['Users'], 'User'));
  useEffect(() => {
    void run(async () => {
      await reload();
      setUsers(listOf<{ UserName: string }>((await call('ram', 'ListUsers', { MaxItems: '1000' }))['Users'], 'User'));
    });
  }, [groupName]);
  const act = (work: () => Promise<unknown>) => run(async () => {
    await work();
    await reload();
  });
  return (
    <section aria-labelledby="group-title">
      <p>
        <a href="#/groups">Groups</a> /
      </p>
      <h2 id="group-title">{groupName}</h2>
      <ErrorBox error={error} />
      <h3>Members</h3>
      <Table head={['User', 'Joined', '']}>
        {members.map((m) => (
          <tr key={m.UserId}>
            <td>{m.UserName}</td>
            <td>{m.JoinDate}</td>
            <td>
              <button type="button" disabled={busy} onClick={() => void act(() => call('ram', 'RemoveUserFromGroup', { GroupName: groupName, UserName: m.UserName }))}>
                Remove
              </button>
            </td>
          </tr>
        ))}
      </Table>
      <form
        class="inline"
        aria-label="Add member"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await call('ram', 'AddUserToGroup', { GroupName: groupName, UserName: choice });
            setChoice('');
          });
        }}
      >
        <Field label="User to add">
          <select required value={choice} onChange={(e) => setChoice((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a user…</option>
            {users
              .filter((u) => !members.some((m) => m.UserName === u.UserName))
              .map((u) => (
                <option key={u.UserName} value={u.UserName}>
                  {u.UserName}
                </option>
              ))}
          </select>
        </Field>
        <button type="submit" disabled={busy || choice === ''}>
          Add
        </button>
      </form>
      <AttachedPolicies holder={{ kind: 'Group', name: groupName }} />
      <h3>Delete</h3>
      <button type="button" class="danger" disabled={busy} onClick={() => void run(async () => {
        if (!confirm(`Delete the group ${groupName}?`)) return;
        await call('ram', 'DeleteGroup', { GroupName: groupName });
        location.hash = '#/groups';
      })}>
        Delete group
      </button>
    </section>
  );
}
