// A console client as the browser is one: a cookie jar of one cookie, the session's CSRF token
// echoed on every change, the Origin of the console's own pages.
import { ROOT } from './server.js';

const VERSIONS: Record<string, string> = { ram: '2015-05-01', sts: '2015-04-01', ecs: '2014-05-26', actiontrail: '2020-07-06' };

export interface ConsoleAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export class ConsoleClient {
  cookie: string | undefined;
  csrf = '';

  constructor(readonly base: string) {}

  get origin(): string {
    return new URL(this.base).origin;
  }

  async send(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ConsoleAnswer> {
    const res = await fetch(new URL(path, this.base), {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        origin: this.origin,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf ? { 'x-rampart-csrf': this.csrf } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!.endsWith('=') ? undefined : set.split(';')[0];
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    if (typeof body['CsrfToken'] === 'string') this.csrf = body['CsrfToken'];
    return { status: res.status, headers: res.headers, body };
  }

  signInRoot(accessKeyId: string = ROOT.accessKeyId, accessKeySecret: string = ROOT.accessKeySecret): Promise<ConsoleAnswer> {
    return this.send('/api/signin', { body: { Kind: 'root', AccessKeyId: accessKeyId, AccessKeySecret: accessKeySecret } });
  }

  signInUser(account: string, userName: string, password: string): Promise<ConsoleAnswer> {
    return this.send('/api/signin', { body: { Kind: 'user', Account: account, UserName: userName, Password: password } });
  }

  call(product: string, action: string, params: Record<string, string> = {}): Promise<ConsoleAnswer> {
    return this.send('/api/call', { body: { Product: product, Version: VERSIONS[product], Action: action, Params: params } });
  }
}
