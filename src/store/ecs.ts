// The ECS part of the storage contract: instances with their private address and RAM role.

export interface InstanceRecord {
  instanceId: string;
  accountId: string;
  regionId: string;
  instanceName: string;
  hostName: string;
  instanceType: string;
  imageId: string;
  privateIp: string;
  ramRoleName: string | undefined;
  /** A fresh id for each attachment of a role: sessions of an earlier attachment are refused. */
  ramRoleAttachment: string | undefined;
  /** The session policy that narrows the sessions of this attachment (AttachInstanceRamRole's Policy). */
  ramRolePolicy: string | undefined;
  httpTokens: 'optional' | 'required';
  httpEndpoint: 'enabled' | 'disabled';
  creationTime: Date;
}

export interface EcsRepository {
  /** StoreConflictError if the id or the private address is taken. */
  create(instance: InstanceRecord): Promise<void>;
  get(instanceId: string): Promise<InstanceRecord | undefined>;
  byPrivateIp(ip: string): Promise<InstanceRecord | undefined>;
  list(accountId: string, regionId: string): Promise<InstanceRecord[]>;
  /** The account's instances the role (by name, without regard to case) is attached to. */
  withRole(accountId: string, roleName: string): Promise<InstanceRecord[]>;
  update(instance: InstanceRecord): Promise<void>;
  delete(instanceId: string): Promise<void>;
}
