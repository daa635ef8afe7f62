// What the official ECS SDK's models (@alicloud/ecs20140526) let a caller send that Rampart does
// not honour: instances here are identities with an address and a role, not machines with disks,
// networks, billing or placement. Each is refused when sent (the lifecycle refuses anything not
// declared); listed so the refusal is a decision, checked against the models by a test.

/** Who owns the resources: the caller's own account is the only one here. */
const OWNER = ['OwnerAccount', 'OwnerId', 'ResourceOwnerAccount', 'ResourceOwnerId'];

const MACHINE = [
  'Affinity', 'AutoRenew', 'AutoRenewPeriod', 'ClientToken', 'CreditSpecification', 'DataDisk', 'DedicatedHostId', 'DeletionProtection',
  'DeploymentSetGroupNo', 'DeploymentSetId', 'Description', 'DryRun', 'HibernationOptions', 'HpcClusterId', 'HttpPutResponseHopLimit',
  'ImageFamily', 'InstanceChargeType', 'InternetChargeType', 'InternetMaxBandwidthIn', 'InternetMaxBandwidthOut', 'IoOptimized',
  'KeyPairName', 'ManagedHostId', 'Password', 'PasswordInherit', 'Period', 'PeriodUnit', 'PrivatePoolOptions', 'ResourceGroupId',
  'SecurityEnhancementStrategy', 'SecurityGroupId', 'SpotDuration', 'SpotInterruptionBehavior', 'SpotPriceLimit', 'SpotStrategy',
  'StorageSetId', 'StorageSetPartitionNumber', 'SystemDisk', 'Tag', 'Tenancy', 'UserData', 'VSwitchId', 'ZoneId', 'Arn',
];

export const REFUSED = {
  RunInstances: [
    ...OWNER, ...MACHINE, 'AutoPay', 'AutoReleaseTime', 'ClockOptions', 'CpuOptions', 'HostNames', 'ImageOptions', 'Ipv6Address',
    'Ipv6AddressCount', 'Isp', 'LaunchTemplateId', 'LaunchTemplateName', 'LaunchTemplateVersion', 'MinAmount', 'NetworkInterface',
    'NetworkInterfaceQueueNumber', 'NetworkOptions', 'PrivateDnsNameOptions', 'SchedulerOptions', 'SecurityGroupIds', 'SecurityOptions',
    'UniqueSuffix',
  ],
  CreateInstance: [...OWNER, ...MACHINE, 'ClusterId', 'InnerIpAddress', 'NodeControllerId', 'UseAdditionalService', 'VlanId'],
  /** Filters that are not honoured would answer with every instance: refused, not ignored. */
  DescribeInstances: [
    ...OWNER, 'AdditionalAttributes', 'DeviceAvailable', 'DryRun', 'EipAddresses', 'Filter', 'HpcClusterId', 'HttpEndpoint',
    'HttpPutResponseHopLimit', 'HttpTokens', 'ImageId', 'InnerIpAddresses', 'InstanceChargeType', 'InstanceName', 'InstanceNetworkType',
    'InstanceType', 'InstanceTypeFamily', 'InternetChargeType', 'IoOptimized', 'Ipv6Address', 'KeyPairName', 'LockReason', 'MaxResults',
    'NeedSaleCycle', 'NextToken', 'PrivateIpAddresses', 'PublicIpAddresses', 'RdmaIpAddresses', 'ResourceGroupId', 'SecurityGroupId',
    'Status', 'Tag', 'VSwitchId', 'VpcId', 'ZoneId',
  ],
  DeleteInstance: [...OWNER, 'DryRun', 'ForceStop', 'TerminateSubscription'],
  ModifyInstanceMetadataOptions: [...OWNER, 'HttpPutResponseHopLimit', 'InstanceMetadataTags'].filter((p) => p !== 'OwnerAccount'),
  InstanceRamRole: OWNER.filter((p) => p !== 'OwnerAccount'),
} as const;
