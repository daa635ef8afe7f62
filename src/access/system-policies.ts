// The system policies every account has, with the documents the real service publishes (or, where
// none was found verbatim, the widely known forms: see shared/ALIBABA-FACTS.md).

export interface SystemPolicy {
  name: string;
  description: string;
  document: string;
}

const doc = (statements: object[]): string => JSON.stringify({ Version: '1', Statement: statements });
const allow = (Action: string | string[], extra: object = {}) => ({ Action, Resource: '*', Effect: 'Allow', ...extra });

const POLICIES: SystemPolicy[] = [
  { name: 'AdministratorAccess', description: 'Provides full access to Alibaba Cloud services and resources.', document: doc([allow('*')]) },
  {
    name: 'ReadOnlyAccess',
    description: 'Provides read-only access to Alibaba Cloud services and resources.',
    document: doc([allow(['*:Describe*', '*:List*', '*:Get*', '*:Query*'])]),
  },
  { name: 'AliyunRAMFullAccess', description: 'Provides full access to Resource Access Management (RAM).', document: doc([allow('ram:*')]) },
  {
    name: 'AliyunRAMReadOnlyAccess',
    description: 'Provides read-only access to Resource Access Management (RAM).',
    document: doc([allow(['ram:Get*', 'ram:List*', 'ram:GenerateCredentialReport']), allow(['accessanalyzer:Get*', 'accessanalyzer:List*'])]),
  },
  { name: 'AliyunSTSAssumeRoleAccess', description: 'Provides access to assume RAM roles through Security Token Service (STS).', document: doc([allow('sts:AssumeRole')]) },
  { name: 'AliyunOSSFullAccess', description: 'Provides full access to Object Storage Service (OSS).', document: doc([allow('oss:*')]) },
  { name: 'AliyunOSSReadOnlyAccess', description: 'Provides read-only access to Object Storage Service (OSS).', document: doc([allow(['oss:Get*', 'oss:List*'])]) },
  {
    name: 'AliyunECSFullAccess',
    description: 'Provides full access to Elastic Compute Service (ECS).',
    document: doc([allow('ecs:*'), allow(['vpc:DescribeVpcs', 'vpc:DescribeVSwitches'])]),
  },
  { name: 'AliyunECSReadOnlyAccess', description: 'Provides read-only access to Elastic Compute Service (ECS).', document: doc([allow(['ecs:Describe*', 'ecs:List*'])]) },
  {
    name: 'AliyunActionTrailFullAccess',
    description: 'Provides full access to ActionTrail.',
    document: doc([
      allow('actiontrail:*'),
      allow('ram:PassRole', { Condition: { StringEquals: { 'acs:Service': 'actiontrail.aliyuncs.com' } } }),
      allow('ram:CreateServiceLinkedRole', { Condition: { StringEquals: { 'ram:ServiceName': 'actiontrail.aliyuncs.com' } } }),
    ]),
  },
];

/** System policies carry one version, v1, dated when the catalog was written. */
export const SYSTEM_POLICY_DATE = new Date('2024-01-01T00:00:00Z');

export const SYSTEM_POLICIES: ReadonlyMap<string, SystemPolicy> = new Map(POLICIES.map((p) => [p.name.toLowerCase(), p]));

export function systemPolicy(name: string): SystemPolicy | undefined {
  return SYSTEM_POLICIES.get(name.toLowerCase());
}
