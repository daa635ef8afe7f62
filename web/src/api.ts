// The console's one way to the server: its own session routes and `call`, which runs one RAM, STS,
// ECS or ActionTrail action as the signed-in principal. Every change carries the session's CSRF
// token; every failure comes back as the product's error (code, message, request id).

export const VERSIONS = { ram: '2015-05-01', sts: '2015-04-01', ecs: '2014-05-26', actiontrail: '2020-07-06', ims: '2019-08-15' } as const;
export type Product = keyof typeof VERSIONS;

export interface Identity {
  Type: 'Account' | 'RAMUser' | 'AssumedRoleUser';
  AccountId: string;
  Arn: string;
  UserName?: string;
  RoleName?: string;
  RoleSessionName?: string;
}

export interface Session {
  Identity: Identity;
  /** Who signed in, when the session has switched into a role. */
  SignedInAs?: Identity;
  CsrfToken: string;
  PasswordResetRequired: boolean;
}

export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string,
    readonly detail: Record<string, unknown> | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

let csrfToken = '';
let sessionEnded: (why: ApiFailure) => void = () => undefined;

/** Called when the server says the session is gone (timed out, signed out elsewhere, key disabled). */
export function onSessionEnded(handler: (why: ApiFailure) => void): void {
  sessionEnded = handler;
}

async function send(path: string, method: 'GET' | 'POST', body?: object): Promise<Record<string, unknown>> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(method === 'POST' ? { 'x-rampart-csrf': csrfToken } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({ Code: 'InvalidResponse', Message: `HTTP ${res.status}` }))) as Record<string, unknown>;
  if (!res.ok) {
    const detail = json['AccessDeniedDetail'] as Record<string, unknown> | undefined;
    const failure = new ApiFailure(String(json['Code'] ?? res.status), String(json['Message'] ?? ''), String(json['RequestId'] ?? ''), detail, res.status);
    if (failure.code === 'ConsoleSession.Required') sessionEnded(failure);
    throw failure;
  }
  return json;
}

function remember(s: Record<string, unknown>): Session {
  const session = s as unknown as Session;
  csrfToken = session.CsrfToken;
  return session;
}

/** The current session, or undefined when nobody is signed in. */
export async function currentSession(): Promise<Session | undefined> {
  const answer = await send('/api/session', 'GET');
  return answer['SignedIn'] === true ? remember(answer) : undefined;
}

export type SignIn = { Kind: 'root'; AccessKeyId: string; AccessKeySecret: string } | { Kind: 'user'; Account: string; UserName: string; Password: string; MFACode?: string };

export async function signIn(request: SignIn): Promise<Session> {
  return remember(await send('/api/signin', 'POST', request));
}

export async function signOut(): Promise<void> {
  await send('/api/signout', 'POST', {});
  csrfToken = '';
}

/** Runs one action; parameters are the API's (flattened lists as Name.1, Name.2). */
export async function call<T = Record<string, unknown>>(product: Product, action: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const given = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  return (await send('/api/call', 'POST', { Product: product, Version: VERSIONS[product], Action: action, Params: given })) as T;
}

/** A list the API wraps twice ({Users: {User: [...]}}), as an array. */
export function listOf<T>(value: unknown, inner: string): T[] {
  const wrapped = (value as Record<string, unknown> | undefined)?.[inner];
  return Array.isArray(wrapped) ? (wrapped as T[]) : [];
}

/** Acts as a role from now on (STS AssumeRole as the signed-in principal); its credentials stay on the server. */
export async function switchRole(roleArn: string, sessionName: string): Promise<Session | undefined> {
  await send('/api/call', 'POST', { Product: 'sts', Version: VERSIONS.sts, Action: 'AssumeRole', Params: { RoleArn: roleArn, RoleSessionName: sessionName }, Switch: true });
  return currentSession();
}

/** Back to the identity that signed in. */
export async function switchBack(): Promise<Session> {
  return remember(await send('/api/switch-back', 'POST', {}));
}

/** An OSS answer's error, in OSS's words (its XML Error document). */
function ossFailure(status: number, text: string): ApiFailure {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const field = (name: string) => doc.getElementsByTagName(name)[0]?.textContent ?? '';
  return new ApiFailure(field('Code') || String(status), field('Message'), field('RequestId'), undefined, status);
}

/** One OSS operation as the signed-in principal (path style, under /api/oss); the answer's XML, parsed. */
export async function oss(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: BodyInit): Promise<Document> {
  const res = await fetch(`/api/oss${path}`, { method, credentials: 'same-origin', headers: method === 'GET' ? {} : { 'x-rampart-csrf': csrfToken }, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  if (!res.ok) {
    const failure = ossFailure(res.status, text);
    if (failure.code === 'ConsoleSession.Required') sessionEnded(failure);
    throw failure;
  }
  return new DOMParser().parseFromString(text || '<Empty/>', 'application/xml');
}

/** Puts a file as an object, reporting the share sent so far (0 to 1). */
export function upload(path: string, file: File, progress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/oss${path}`);
    xhr.setRequestHeader('x-rampart-csrf', csrfToken);
    if (file.type) xhr.setRequestHeader('content-type', file.type);
    xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(ossFailure(xhr.status, xhr.responseText)));
    xhr.onerror = () => reject(new Error('the upload was interrupted'));
    xhr.send(file);
  });
}

/** A link that reads one object until it expires, as the signed-in principal may (console-made, no AccessKey). */
export async function objectLink(bucket: string, key: string, seconds: number): Promise<{ Url: string; Expiration: string }> {
  return (await send('/api/oss-link', 'POST', { Bucket: bucket, Key: key, Expires: seconds })) as unknown as { Url: string; Expiration: string };
}
