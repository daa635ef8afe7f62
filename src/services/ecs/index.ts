// ECS (2014-05-26), the instance and instance-role subset.
import { product } from '../action.js';
import { AttachInstanceRamRole, DescribeInstanceRamRole, DetachInstanceRamRole } from './instance-roles.js';
import { CreateInstance, DeleteInstance, DescribeInstances, ModifyInstanceMetadataOptions, RunInstances } from './instances.js';

export const Ecs = product({
  code: 'Ecs',
  endpointPrefix: 'ecs',
  version: '2014-05-26',
  actions: [RunInstances, CreateInstance, DescribeInstances, DeleteInstance, ModifyInstanceMetadataOptions, AttachInstanceRamRole, DetachInstanceRamRole, DescribeInstanceRamRole],
});
