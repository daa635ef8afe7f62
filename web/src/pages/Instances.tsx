// ECS instances: registering one, attaching and detaching its RAM role (which needs ram:PassRole on
// the role, as the API does), its metadata options, deleting it. One region at a time.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from '../api';
import { ErrorBox, Field, Table, useAction } from '../components';

interface Instance {
  InstanceId: string;
  InstanceName: string;
  RegionId: string;
  VpcAttributes: { PrivateIpAddress: { IpAddress: string[] } };
  RamRoleName: string;
  MetadataOptions: { HttpTokens: 'optional' | 'required'; HttpEndpoint: 'enabled' | 'disabled' };
}

interface Role {
  RoleName: string;
}

/** An attachment's outcome per instance: the API answers 200 with a failure inside. */
interface AttachResult {
  InstanceId: string;
  Success: boolean;
  Code: string;
  Message: string;
}

export function InstancesPage() {
  const [region, setRegion] = useState('cn-hangzhou');
  const [instances, setInstances] = useState<Instance[]>([]);
  const [roles, setRoles] = useState<Role[]>([]);
  const [form, setForm] = useState({ InstanceName: '', ImageId: 'ubuntu_22_04_x64', InstanceType: 'ecs.g7.large' });
  const [roleFor, setRoleFor] = useState<Record<string, string>>({});
  const [error, busy, run] = useAction();
  const reload = async () => setInstances(listOf<Instance>((await call('ecs', 'DescribeInstances', { RegionId: region, PageSize: '100' }))['Instances'], 'Instance'));
  useEffect(() => {
    void run(async () => {
      await reload();
      setRoles(listOf<Role>((await call('ram', 'ListRoles', { MaxItems: '1000' }))['Roles'], 'Role'));
    });
  }, [region]);
  const act = (work: () => Promise<unknown>) => run(async () => {
    await work();
    await reload();
  });
  /** Attach and detach answer per instance; a failure there is shown as the API's. */
  const perInstance = async (action: string, params: Record<string, string>, results: string) => {
    const answer = await call('ecs', action, { RegionId: region, ...params });
    const failed = listOf<AttachResult>(answer[results], results.replace(/s$/, '')).find((r) => !r.Success);
    if (failed) throw new Error(`${failed.Code}: ${failed.Message}`);
  };
  const register = (e: Event) => {
    e.preventDefault();
    void act(() => call('ecs', 'CreateInstance', { RegionId: region, ...form }));
  };
  return (
    <section aria-labelledby="instances-title">
      <h2 id="instances-title">ECS instances</h2>
      <Field label="Region">
        <input name="region" value={region} onChange={(e) => setRegion((e.target as HTMLInputElement).value)} />
      </Field>
      <form class="inline" onSubmit={register} aria-label="Register instance">
        <Field label="Instance name">
          <input name="InstanceName" required minLength={2} value={form.InstanceName} onInput={(e) => setForm({ ...form, InstanceName: (e.target as HTMLInputElement).value })} />
        </Field>
        <Field label="Image">
          <input name="ImageId" required value={form.ImageId} onInput={(e) => setForm({ ...form, ImageId: (e.target as HTMLInputElement).value })} />
        </Field>
        <Field label="Instance type">
          <input name="InstanceType" required value={form.InstanceType} onInput={(e) => setForm({ ...form, InstanceType: (e.target as HTMLInputElement).value })} />
        </Field>
        <button type="submit" disabled={busy}>
          Register instance
        </button>
      </form>
      <ErrorBox error={error} />
      <Table head={['Instance', 'Name', 'Private IP', 'RAM role', 'Metadata tokens', '']}>
        {instances.map((i) => (
          <tr key={i.InstanceId}>
            <td>
              <code>{i.InstanceId}</code>
            </td>
            <td>{i.InstanceName}</td>
            <td>{i.VpcAttributes.PrivateIpAddress.IpAddress[0]}</td>
            <td data-testid={`role-of-${i.InstanceName}`}>
              {i.RamRoleName ? (
                <>
                  {i.RamRoleName}{' '}
                  <button type="button" disabled={busy} onClick={() => void act(() => perInstance('DetachInstanceRamRole', { InstanceIds: JSON.stringify([i.InstanceId]), RamRoleName: i.RamRoleName }, 'DetachInstanceRamRoleResults'))}>
                    Detach role
                  </button>
                </>
              ) : (
                <form
                  class="inline"
                  aria-label={`Attach role to ${i.InstanceName}`}
                  onSubmit={(e) => {
                    e.preventDefault();
                    void act(() => perInstance('AttachInstanceRamRole', { InstanceIds: JSON.stringify([i.InstanceId]), RamRoleName: roleFor[i.InstanceId] ?? '' }, 'AttachInstanceRamRoleResults'));
                  }}
                >
                  <Field label="Role">
                    <select required value={roleFor[i.InstanceId] ?? ''} onChange={(e) => setRoleFor({ ...roleFor, [i.InstanceId]: (e.target as HTMLSelectElement).value })}>
                      <option value="">Choose a role…</option>
                      {roles.map((r) => (
                        <option key={r.RoleName} value={r.RoleName}>
                          {r.RoleName}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <button type="submit" disabled={busy}>
                    Attach role
                  </button>
                </form>
              )}
            </td>
            <td>
              {i.MetadataOptions.HttpTokens}{' '}
              <button type="button" disabled={busy} onClick={() => void act(() => call('ecs', 'ModifyInstanceMetadataOptions', { RegionId: region, InstanceId: i.InstanceId, HttpTokens: i.MetadataOptions.HttpTokens === 'required' ? 'optional' : 'required' }))}>
                {i.MetadataOptions.HttpTokens === 'required' ? 'Allow without token' : 'Require token'}
              </button>
            </td>
            <td>
              <button type="button" class="danger" disabled={busy} onClick={() => void act(async () => {
                if (confirm(`Delete ${i.InstanceId}?`)) await call('ecs', 'DeleteInstance', { RegionId: region, InstanceId: i.InstanceId, Force: 'true' });
              })}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
