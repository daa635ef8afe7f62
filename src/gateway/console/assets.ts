// The console's built pages (web/, built by Vite into dist/web). Files are read once at start and
// served from memory: hashed asset names are cached for a year, the page itself never (a new build
// is seen on the next load). Every answer carries a strict Content-Security-Policy: scripts, styles
// and connections from the console's own origin only, no inline script, no framing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html;charset=utf-8',
  '.js': 'text/javascript;charset=utf-8',
  '.css': 'text/css;charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

interface Asset {
  body: Buffer;
  type: string;
  cache: string;
}

/** Where the build puts the console, beside the compiled server. */
export const BUILT_CONSOLE = new URL('../../../web/', import.meta.url);

export class ConsoleAssets {
  readonly #files = new Map<string, Asset>();

  constructor(dir: string) {
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`the console is not built (no ${join(dir, 'index.html')}): run npm run build`);
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const path = join(d, name);
        if (statSync(path).isDirectory()) walk(path);
        else {
          const url = `/${relative(dir, path).split(sep).join('/')}`;
          // Vite names what it builds under assets/ by content hash: a name never changes meaning.
          const cache = url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
          this.#files.set(url, { body: readFileSync(path), type: TYPES[extname(name)] ?? 'application/octet-stream', cache });
        }
      }
    };
    walk(dir);
  }

  /** GET/HEAD of a file, or of a page of the app (anything without an extension gets index.html). */
  serve(req: IncomingMessage, res: ServerResponse, path: string): void {
    const asset = this.#files.get(path) ?? (extname(path) === '' ? this.#files.get('/index.html') : undefined);
    if (asset === undefined) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain;charset=utf-8' });
      res.end('Not found');
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': asset.cache });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }
}
