// One policy: its versions (the default one's document; for a custom policy, new versions written
// in the checking editor, setting the default, deleting old ones) and where it is attached.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from '../api';
import { ErrorBox, Table, useAction } from '../components';
import { PolicyEditor, policyProblem } from '../policy-editor';

interface Version {
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: string;
  PolicyDocument?: string;
}

interface Entity {
  UserName?: string;
  GroupName?: string;
  RoleName?: string;
}

export function PolicyDetailPage({ type, name }: { type: 'System' | 'Custom'; name: string }) {
  const [versions, setVersions] = useState<Version[]>([]);
  const [shown, setShown] = useState<string>('');
  const [draft, setDraft] = useState('');
  const [attached, setAttached] = useState<{ kind: string; name: string }[]>([]);
  const [error, busy, run] = useAction();
  const reload = async () => {
    const all = listOf<Version>((await call('ram', 'ListPolicyVersions', { PolicyType: type, PolicyName: name }))['PolicyVersions'], 'PolicyVersion');
    setVersions(all);
    const current = all.find((v) => v.IsDefaultVersion);
    const document = current?.PolicyDocument ?? ((await call('ram', 'GetPolicy', { PolicyType: type, PolicyName: name }))['DefaultPolicyVersion'] as Version | undefined)?.PolicyDocument ?? '';
    const pretty = document ? JSON.stringify(JSON.parse(document), null, 2) : '';
    setShown(pretty);
    setDraft((d) => d || pretty);
    const entities = await call('ram', 'ListEntitiesForPolicy', { PolicyType: type, PolicyName: name });
    setAttached([
      ...listOf<Entity>(entities['Users'], 'User').map((e) => ({ kind: 'User', name: e.UserName ?? '' })),
      ...listOf<Entity>(entities['Groups'], 'Group').map((e) => ({ kind: 'Group', name: e.GroupName ?? '' })),
      ...listOf<Entity>(entities['Roles'], 'Role').map((e) => ({ kind: 'Role', name: e.RoleName ?? '' })),
    ]);
  };
  useEffect(() => void run(reload), [type, name]);
  const act = (work: () => Promise<unknown>) => run(async () => {
    await work();
    await reload();
  });
  return (
    <section aria-labelledby="policy-title">
      <p>
        <a href="#/policies">Policies</a> /
      </p>
      <h2 id="policy-title">
        {name} <small>({type})</small>
      </h2>
      <ErrorBox error={error} />
      <h3>Default version</h3>
      <pre data-testid="default-document">{shown}</pre>
      <h3>Versions</h3>
      <Table head={['Version', 'Default', 'Created', '']}>
        {versions.map((v) => (
          <tr key={v.VersionId}>
            <td>{v.VersionId}</td>
            <td>{v.IsDefaultVersion ? 'Yes' : ''}</td>
            <td>{v.CreateDate}</td>
            <td>
              {type === 'Custom' && !v.IsDefaultVersion && (
                <>
                  <button type="button" disabled={busy} onClick={() => void act(() => call('ram', 'SetDefaultPolicyVersion', { PolicyName: name, VersionId: v.VersionId }))}>
                    Set as default
                  </button>
                  <button type="button" disabled={busy} onClick={() => void act(() => call('ram', 'DeletePolicyVersion', { PolicyName: name, VersionId: v.VersionId }))}>
                    Delete
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </Table>
      {type === 'Custom' && (
        <form
          aria-label="New version"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => call('ram', 'CreatePolicyVersion', { PolicyName: name, PolicyDocument: draft, SetAsDefault: 'true' }));
          }}
        >
          <PolicyEditor label="New version's document" kind="identity" value={draft} onInput={setDraft} />
          <button type="submit" disabled={busy || policyProblem(draft, 'identity') !== undefined}>
            Save as the default version
          </button>
        </form>
      )}
      <h3>Attached to</h3>
      <Table head={['Kind', 'Name']}>
        {attached.map((a) => (
          <tr key={`${a.kind}:${a.name}`}>
            <td>{a.kind}</td>
            <td>{a.name}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
