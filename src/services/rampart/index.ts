import { product } from '../action.js';
import { IssueOIDCToken } from './issue-oidc-token.js';

/** Rampart's own actions, which no real service has: its OIDC issuer for workloads. */
export const Rampart = product({ code: 'Rampart', endpointPrefix: 'rampart', version: '2026-11-01', actions: [IssueOIDCToken] });
