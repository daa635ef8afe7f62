// What the instance metadata service answers an instance: a few facts about itself, its RAM role's
// name and credentials, and (hardened mode) tokens. Plain text, as the real service writes it.
import { MetadataErrors } from '../../model/index.js';
import type { SecretBox } from '../../secrets/index.js';
import type { InstanceRecord } from '../../store/index.js';
import { MAX_METADATA_TOKEN_TTL, mintMetadataToken } from '../../tokens/index.js';
import { expiration, type IssuedSession } from '../sts/issue.js';
import type { InstanceCredentials, InstanceSet } from './instance-credentials.js';

export const TOKEN_PATH = '/latest/api/token';
const BASE = '/latest/meta-data/';

export interface MetadataRequest {
  method: string;
  path: string;
  /** x-aliyun-ecs-metadata-token-ttl-seconds, for a token. */
  tokenTtl: string | undefined;
  /** A request relayed by a proxy (x-forwarded-for) must not mint tokens for whoever asks it. */
  forwarded: boolean;
}

export interface MetadataAnswer {
  body: string;
  /** A credential set issued by this request: a role assumption to record. */
  issued?: NonNullable<InstanceSet['issued']>;
}

export class MetadataService {
  /**
   * Each set's answer, written once: apps poll for credentials that change only every few hours,
   * and the same set's answer is the same text every time (its times are the set's own).
   */
  readonly #bodies = new WeakMap<IssuedSession, string>();

  constructor(
    private readonly credentials: InstanceCredentials,
    private readonly box: SecretBox,
    private readonly now: () => number,
  ) {}

  async answer(req: MetadataRequest, instance: InstanceRecord): Promise<MetadataAnswer> {
    if (req.path === TOKEN_PATH) return { body: this.#token(req, instance) };
    if (req.method !== 'GET' && req.method !== 'HEAD') throw MetadataErrors.methodNotAllowed();
    const simple: Record<string, string> = {
      'instance-id': instance.instanceId,
      'region-id': instance.regionId,
      hostname: instance.hostName,
      'private-ipv4': instance.privateIp,
    };
    if (req.path === '/latest/meta-data' || req.path === BASE) return { body: [...Object.keys(simple), 'ram/'].join('\n') };
    if (!req.path.startsWith(BASE)) throw MetadataErrors.notFound();
    const rest = req.path.slice(BASE.length);
    const value = simple[rest];
    if (value !== undefined) return { body: value };
    if (rest === 'ram' || rest === 'ram/') return { body: 'security-credentials/' };
    if (!rest.startsWith('ram/security-credentials')) throw MetadataErrors.notFound();
    const name = rest.slice('ram/security-credentials'.length).replace(/^\//, '').replace(/\/$/, '');
    if (instance.ramRoleName === undefined) throw MetadataErrors.notFound();
    if (name === '') return { body: instance.ramRoleName };
    if (name.toLowerCase() !== instance.ramRoleName.toLowerCase()) throw MetadataErrors.notFound();
    const set = await this.credentials.forInstance(instance);
    if (set === undefined) throw MetadataErrors.notFound();
    const { session } = set;
    let body = this.#bodies.get(session);
    if (body === undefined) {
      body = JSON.stringify({
        AccessKeyId: session.accessKeyId,
        AccessKeySecret: session.accessKeySecret,
        Expiration: expiration(session.expiresAt),
        SecurityToken: session.securityToken,
        LastUpdated: expiration(session.issuedAt),
        Code: 'Success',
      });
      this.#bodies.set(session, body);
    }
    return { body, ...(set.issued ? { issued: set.issued } : {}) };
  }

  #token(req: MetadataRequest, instance: InstanceRecord): string {
    if (req.method !== 'PUT') throw MetadataErrors.methodNotAllowed();
    if (req.forwarded) throw MetadataErrors.forbidden();
    const ttl = req.tokenTtl;
    if (ttl === undefined || !/^\d{1,5}$/.test(ttl) || Number(ttl) < 1 || Number(ttl) > MAX_METADATA_TOKEN_TTL) throw MetadataErrors.badRequest();
    return mintMetadataToken(this.box, instance, Number(ttl), this.now());
  }
}
