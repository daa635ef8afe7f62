// Who is calling the metadata service: the instance whose private address the request comes from
// (an address no instance has, or one whose metadata endpoint is disabled, gets nothing at all),
// and in hardened mode the token it minted. The address is the credential: the service must be
// reachable only from the instances' own network (100.100.100.200 in a real deployment).
import { MetadataErrors } from '../model/index.js';
import type { SecretBox } from '../secrets/index.js';
import type { InstanceRecord } from '../store/index.js';
import { metadataTokenValid } from '../tokens/index.js';

export interface InstanceAuthDeps {
  instances: { byPrivateIp(ip: string): Promise<InstanceRecord | undefined> };
  box: SecretBox;
  now(): number;
}

export interface InstanceRequest {
  sourceIp: string;
  /** x-aliyun-ecs-metadata-token, if sent. */
  token: string | undefined;
  /** Minting a token (PUT /latest/api/token) needs none. */
  mintsToken: boolean;
}

export async function authenticateInstance(deps: InstanceAuthDeps, req: InstanceRequest): Promise<InstanceRecord> {
  const instance = await deps.instances.byPrivateIp(req.sourceIp);
  if (instance === undefined || instance.httpEndpoint === 'disabled') throw MetadataErrors.notFound();
  if (req.mintsToken) return instance;
  if (req.token !== undefined) {
    if (!metadataTokenValid(deps.box, instance, req.token, deps.now())) throw MetadataErrors.unauthorized();
  } else if (instance.httpTokens === 'required') {
    throw MetadataErrors.forbidden();
  }
  return instance;
}
