import { product } from '../action.js';
import { AssumeRole } from './assume-role.js';
import { GetCallerIdentity } from './get-caller-identity.js';

export const Sts = product({
  code: 'Sts',
  endpointPrefix: 'sts',
  version: '2015-04-01',
  actions: [GetCallerIdentity, AssumeRole],
});
