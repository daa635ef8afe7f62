import { product } from '../action.js';
import { AssumeRole } from './assume-role.js';
import { AssumeRoleWithOIDC } from './assume-role-with-oidc.js';
import { AssumeRoleWithSAML } from './assume-role-with-saml.js';
import { GetCallerIdentity } from './get-caller-identity.js';

export const Sts = product({
  code: 'Sts',
  endpointPrefix: 'sts',
  version: '2015-04-01',
  actions: [GetCallerIdentity, AssumeRole, AssumeRoleWithOIDC, AssumeRoleWithSAML],
});
