// The metadata listener's codec (100.100.100.200 in a real deployment): the caller is the instance
// its address names (auth/instance.ts), the answers plain text. Nothing here needs a permission;
// a credential set the service issues is recorded as the role assumption it is.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateInstance, type InstanceAuthDeps } from '../../auth/index.js';
import { arn } from '../../model/index.js';
import { ECS_SERVICE, expiration, TOKEN_PATH, type MetadataAnswer, type MetadataRequest, type MetadataService } from '../../services/index.js';
import type { InstanceRecord } from '../../store/index.js';
import { lifecycle, type Codec, type LifecycleDeps } from '../lifecycle.js';
import { clientAddress } from '../http/client-address.js';
import { randomUUID } from 'node:crypto';

export interface MetadataDeps {
  service: MetadataService;
  auth: InstanceAuthDeps;
}

interface MetadataParsed extends MetadataRequest {
  sourceIp: string;
  token: string | undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function metadataCodec(deps: MetadataDeps): Codec<MetadataParsed, InstanceRecord, MetadataAnswer> {
  return {
    name: 'metadata',
    requestIdHeader: 'x-request-id',
    newRequestId: () => randomUUID().toUpperCase(),

    async parse(req) {
      return {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        sourceIp: clientAddress(req),
        token: header(req, 'x-aliyun-ecs-metadata-token'),
        tokenTtl: header(req, 'x-aliyun-ecs-metadata-token-ttl-seconds'),
        forwarded: header(req, 'x-forwarded-for') !== undefined,
      };
    },

    authenticate: (parsed) => authenticateInstance(deps.auth, { sourceIp: parsed.sourceIp, token: parsed.token, mintsToken: parsed.path === TOKEN_PATH }),

    identify: (parsed, instance) => ({
      async prepare() {
        return {
          checks: [],
          run: () => deps.service.answer(parsed, instance),
          eventOf: ({ issued }) => {
            if (issued === undefined) return undefined;
            const roleArn = arn.ramRole(issued.role.accountId, issued.role.roleName);
            const accessKeyId = issued.principal.accessKeyId;
            return {
              caller: issued.principal,
              event: {
                serviceName: 'Sts',
                apiVersion: '2015-04-01',
                name: 'AssumeRole',
                rw: 'Write',
                parameters: [['RoleArn', roleArn], ['RoleSessionName', instance.instanceId], ['InstanceId', instance.instanceId], ['Principal', ECS_SERVICE]],
              },
              resource: roleArn,
              responseElements: { Credentials: { AccessKeyId: accessKeyId, Expiration: expiration(issued.expiresAt) } },
            };
          },
        };
      },
    }),

    refuse: () => {
      throw new Error('the metadata service checks no permissions');
    },

    async render(res, _parsed, answer) {
      // A new set is kept for the next requests only now that its assumption is recorded.
      answer.issued?.keep();
      reply(res, 200, answer.body);
    },

    renderError: (res, _parsed, error) => reply(res, error.httpStatus, error.httpStatus >= 500 ? 'Internal Server Error' : error.message),

    logFields: (parsed) => ({ path: parsed?.path }),
  };
}

/** The metadata listener's handler. */
export function metadataFrontDoor(deps: MetadataDeps, lifecycleDeps: LifecycleDeps) {
  return lifecycle(metadataCodec(deps), lifecycleDeps, false);
}
