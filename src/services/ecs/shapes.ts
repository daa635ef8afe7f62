// ECS response shapes and ARNs.
import type { InstanceRecord } from '../../store/index.js';

export const ecsDate = (d: Date): string => d.toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');

export const regionArn = (regionId: string, accountId: string, resource: string): string => `acs:ecs:${regionId}:${accountId}:${resource}`;
export const instanceArn = (regionId: string, accountId: string, instanceId: string): string => regionArn(regionId, accountId, `instance/${instanceId}`);

export function instanceShape(i: InstanceRecord) {
  return {
    InstanceId: i.instanceId,
    InstanceName: i.instanceName,
    HostName: i.hostName,
    RegionId: i.regionId,
    ZoneId: `${i.regionId}-a`,
    Status: 'Running',
    InstanceType: i.instanceType,
    ImageId: i.imageId,
    CreationTime: ecsDate(i.creationTime),
    VpcAttributes: { PrivateIpAddress: { IpAddress: [i.privateIp] } },
    RamRoleName: i.ramRoleName ?? '',
    MetadataOptions: { HttpTokens: i.httpTokens, HttpEndpoint: i.httpEndpoint },
  };
}
