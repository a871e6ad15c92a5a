/**
 * Requests sent verbatim, and every spelling of a path prefix that a router or a static server
 * might still accept. `fetch()` and supertest normalise what they send (dot segments, some
 * percent-encodings), so guard tests that must see what an attacker sends use `node:http` here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** Sends `method rawPath` exactly as given (no normalisation) to a listening server. */
export function rawRequest(
  server: http.Server,
  method: string,
  rawPath: string,
  headers: Record<string, string> = {}
): Promise<RawResponse> {
  const address = server.address() as AddressInfo | null;
  if (!address || typeof address === 'string') throw new Error('rawRequest: the server is not listening on a TCP port');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: address.port, method, path: rawPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Makes sure the server listens on an ephemeral loopback port (supertest binds lazily). */
export async function ensureListening(server: http.Server): Promise<void> {
  if (server.listening) return;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

const pct = (ch: string) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
const pctLower = (ch: string) => `%${ch.charCodeAt(0).toString(16).toLowerCase().padStart(2, '0')}`;

/**
 * Spellings of `prefix` (e.g. `/api/` or `/uploads/`) followed by `rest`, each of which a lenient
 * router or static server could resolve to `prefix + rest`: the canonical form, every character of
 * the prefix percent-encoded one at a time (upper and lower hex), the whole prefix encoded, the
 * slash after it encoded (`%2F`, `%2f`, double-encoded `%252F`), case variants, doubled slashes,
 * dot segments (`/x/../`, `/./`, encoded dots), a backslash, a trailing slash before the query.
 * Each entry names its variant so that a failing test says which spelling got through.
 */
export function pathSpellings(prefix: string, rest: string): Array<{ name: string; path: string }> {
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error('pathSpellings: prefix must look like /segment/');
  const segment = prefix.slice(1, -1); // e.g. "api" or "uploads"
  const [restPath, query] = splitQuery(rest);
  const q = query ? `?${query}` : '';
  const out: Array<{ name: string; path: string }> = [];
  const add = (name: string, path: string) => out.push({ name, path });

  add('canonical', `${prefix}${restPath}${q}`);
  for (let i = 0; i < segment.length; i += 1) {
    const ch = segment[i]!;
    add(`encoded char ${i} (${ch})`, `/${segment.slice(0, i)}${pct(ch)}${segment.slice(i + 1)}/${restPath}${q}`);
    add(`encoded char ${i} lower hex (${ch})`, `/${segment.slice(0, i)}${pctLower(ch)}${segment.slice(i + 1)}/${restPath}${q}`);
  }
  add('whole segment encoded', `/${[...segment].map(pct).join('')}/${restPath}${q}`);
  add('leading slash encoded', `${pct('/')}${segment}/${restPath}${q}`);
  add('slash after segment %2F', `/${segment}%2F${restPath}${q}`);
  add('slash after segment %2f', `/${segment}%2f${restPath}${q}`);
  add('slash after segment double-encoded', `/${segment}%252F${restPath}${q}`);
  add('upper case', `/${segment.toUpperCase()}/${restPath}${q}`);
  add('capitalised', `/${segment[0]!.toUpperCase()}${segment.slice(1)}/${restPath}${q}`);
  add('mixed case', `/${[...segment].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('')}/${restPath}${q}`);
  add('doubled leading slash', `//${segment}/${restPath}${q}`);
  add('doubled inner slash', `/${segment}//${restPath}${q}`);
  add('dot segment', `/x/../${segment}/${restPath}${q}`);
  add('encoded dot segment', `/x/%2E%2E/${segment}/${restPath}${q}`);
  add('encoded dot-dot-slash', `/x%2F..%2F${segment}/${restPath}${q}`);
  add('single dot segment', `/./${segment}/${restPath}${q}`);
  add('inner single dot', `/${segment}/./${restPath}${q}`);
  add('backslash separator', `/${segment}\\${restPath}${q}`);
  add('encoded backslash', `/${segment}%5C${restPath}${q}`);
  add('trailing slash', `/${segment}/${restPath}/${q}`);
  add('upper case + encoded slash', `/${segment.toUpperCase()}%2F${restPath}${q}`);
  if (restPath) {
    const first = restPath[0]!;
    add('first char of the rest encoded', `/${segment}/${pct(first)}${restPath.slice(1)}${q}`);
    add('rest upper case', `/${segment}/${restPath.toUpperCase()}${q}`);
  }
  if (query) {
    add('query key encoded', `${prefix}${restPath}?${encodeQueryKeys(query)}`);
    add('query after encoded ?', `${prefix}${restPath}%3F${query}`);
  }
  return out;
}

function splitQuery(rest: string): [string, string] {
  const i = rest.indexOf('?');
  return i < 0 ? [rest, ''] : [rest.slice(0, i), rest.slice(i + 1)];
}

function encodeQueryKeys(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq);
      return [...key].map(pct).join('') + value;
    })
    .join('&');
}
