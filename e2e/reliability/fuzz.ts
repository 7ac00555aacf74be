import http from 'node:http';
import { pick, seededRandom } from '../../lib/engine/demo/random';

/**
 * A seeded fuzzer of the dashboard's HTTP surface: every page and route, every query parameter the
 * request path reads and some it does not, path segments and values that are hostile in every way
 * we know (malformed %-escapes, encoded separators, NUL, bidi controls, markup, SQL, huge numbers
 * and strings, other projects' names and ids), repeated parameters and every HTTP method. Requests
 * go out as raw HTTP, byte for byte, so nothing on the client side repairs them first.
 */
export interface FuzzTarget {
  /** Real ids of the tenant (valid paths), and ids that belong to another project. */
  entityIds: readonly string[];
  queryIds: readonly number[];
  userIds: readonly string[];
  rival: { entityId: string; queryId: number; userId: string };
}

export interface FuzzRequest {
  method: string;
  path: string;
}

export interface FuzzResponse extends FuzzRequest {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

const PAGES = ['/', '/ingest', '/graph', '/queries', '/gardener', '/users', '/keys', '/audit', '/signin', '/signout'];
const ROUTES = [
  '/healthz',
  '/readyz',
  '/api/export/query-log',
  '/api/export/ingest-runs',
  '/api/export/entities',
  '/api/export/audit',
];
const PARAMS = [
  'range',
  'from',
  'to',
  'tz',
  'project',
  'view',
  'q',
  'tool',
  'status',
  'min_ms',
  'max_ms',
  'zero',
  'user',
  'memory',
  'session',
  'sort',
  'size',
  'cursor',
  'before',
  'after',
  'as_of',
  'format',
  'type',
  'actor',
  'action',
  'result',
  'callbackUrl',
  'error',
  'theme',
  '__proto__',
  'constructor',
];
const METHODS = [...Array<string>(20).fill('GET'), 'HEAD', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];

/** Values that broke or could break something: each is sent raw (already %-encoded where it must be). */
const HOSTILE = [
  '',
  '%',
  '%%',
  '%zz',
  '%e2%80',
  '%00',
  '%0d%0aSet-Cookie:%20x=1',
  '%E2%80%AE',
  '%3Cscript%3Ealert(1)%3C/script%3E',
  '%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E',
  "'%20OR%201=1--",
  '1;DROP%20TABLE%20events',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '2026-02-30T25:61Z',
  '1970-01-01T00:00Z',
  '9999-12-31T23:59Z',
  'rival',
  'kestrel',
  '..%2F..%2Fetc%2Fpasswd',
  '%2F%2Fevil.example',
  'javascript:alert(1)',
  'https://evil.example/',
  '%F0%9F%A6%9C',
  '%C3%A9t%C3%A9',
  'a'.repeat(2000),
  'b'.repeat(5000),
  'latency_desc',
  'csv',
  'json',
  'report',
  '30d',
  '1h',
  'UTC',
  'Europe/Berlin',
  'Mars/Olympus',
];

function encodedSegment(random: () => number): string {
  const raw = pick(random, HOSTILE);
  return raw.length > 200 ? raw.slice(0, 200) : raw;
}

/** A path segment for a dynamic route: a real id, another project's id, or something hostile. */
function dynamicSegment(random: () => number, target: FuzzTarget, kind: 'entity' | 'query' | 'user' | 'dataset'): string {
  const roll = random();
  if (roll < 0.35) {
    if (kind === 'entity') return pick(random, target.entityIds);
    if (kind === 'query') return String(pick(random, target.queryIds));
    if (kind === 'user') return encodeURIComponent(pick(random, target.userIds));
    return pick(random, ['query-log', 'ingest-runs', 'entities', 'audit', 'keys']);
  }
  if (roll < 0.5) {
    if (kind === 'entity') return target.rival.entityId;
    if (kind === 'query') return String(target.rival.queryId);
    if (kind === 'user') return target.rival.userId;
    return 'rival';
  }
  return encodedSegment(random);
}

function fuzzPath(random: () => number, target: FuzzTarget): string {
  const roll = random();
  if (roll < 0.45) return pick(random, PAGES);
  if (roll < 0.6) return pick(random, ROUTES);
  if (roll < 0.7) return `/graph/entity/${dynamicSegment(random, target, 'entity')}`;
  if (roll < 0.8) return `/queries/${dynamicSegment(random, target, 'query')}`;
  if (roll < 0.87) return `/users/${dynamicSegment(random, target, 'user')}`;
  if (roll < 0.92) return `/api/export/${dynamicSegment(random, target, 'dataset')}`;
  if (roll < 0.95) return `/api/auth/${encodedSegment(random)}`;
  // Paths of no route, and a few the router might read differently from the gate.
  return pick(random, ['/nope', '/_next/static/x.js', '/icon.svg', '/favicon.ico', '//keys', '/./keys', '/queries/../keys']);
}

function fuzzQuery(random: () => number): string {
  const count = Math.floor(random() * random() * 8);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = pick(random, PARAMS);
    const value = pick(random, HOSTILE);
    parts.push(`${name}=${value}`);
    // Repeated parameters: the first, the last or both may be read.
    if (random() < 0.15) parts.push(`${name}=${pick(random, HOSTILE)}`);
  }
  if (random() < 0.05) parts.push('%=%', '&&', 'q[]=1', '=x');
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** `count` requests from `seed`: the same seed gives the same requests on every machine. */
export function fuzzRequests(seed: number, count: number, target: FuzzTarget): FuzzRequest[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    method: pick(random, METHODS),
    path: `${fuzzPath(random, target)}${fuzzQuery(random)}`,
  }));
}

/** Sends one request exactly as given (no client-side normalising), and reads the whole answer. */
export function sendRaw(port: number, request: FuzzRequest, headers: Record<string, string> = {}): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: request.path,
        headers: { accept: 'text/html,application/json', ...headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            ...request,
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`no answer in 60 s: ${request.method} ${request.path}`)));
    req.on('error', reject);
    if (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') req.write('a=1&b=%zz');
    req.end();
  });
}

/** What a stack trace looks like in a body or a log: "    at fn (file.js:1:2)", or Node's own frames. */
export const STACK_TRACE = /\n\s+at\s+\S.*[(\s]\S+:\d+:\d+\)?|node:internal|\.next\/server\/chunks/;

/**
 * Runs requests `concurrency` at a time and hands each answer to `check` as it arrives; a request
 * that gets no readable answer (a reset, an unparseable response) goes to `broken`.
 */
export async function runFuzz(
  port: number,
  requests: readonly FuzzRequest[],
  check: (response: FuzzResponse) => void,
  broken: (request: FuzzRequest, error: Error) => void,
  concurrency = 4,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < requests.length) {
      const request = requests[next++];
      if (!request) continue;
      try {
        check(await sendRaw(port, request));
      } catch (error) {
        broken(request, error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}
