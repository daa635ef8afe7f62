// How shared state names a nonce: 128 bits of SHA-256 over AccessKeyId and nonce, so what is
// stored (in PostgreSQL or Redis) is never what a request sent.
import { createHash } from 'node:crypto';

export const nonceKey = (accessKeyId: string, nonce: string): string => createHash('sha256').update(accessKeyId).update('\0').update(nonce).digest('base64url').slice(0, 22);
