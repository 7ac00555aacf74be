/**
 * What a request asks for, checked before anything decides on it: the path as the router will see
 * it (every segment decoded once), and whether the method is one the path serves. The gate
 * decides on the decoded path, so `/k%65ys` is `/keys` to it as it is to Next.
 */
export type RequestTarget =
  { ok: true; pathname: string; pathAndSearch: string } | { ok: false; status: 400 | 414; reason: string; pathname: string };

const BASE = 'http://request.invalid';
/** Far longer than any link the dashboard makes; a longer one would come back in redirects' headers. */
export const MAX_TARGET_CHARS = 4096;

export function parseRequestTarget(url: string | undefined): RequestTarget {
  if ((url ?? '').length > MAX_TARGET_CHARS) {
    return { ok: false, status: 414, reason: `the address is longer than ${MAX_TARGET_CHARS} characters`, pathname: '/' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url ?? '/', BASE);
  } catch {
    return { ok: false, status: 400, reason: 'the request target is not a URL', pathname: '/' };
  }
  if (parsed.origin !== BASE) return { ok: false, status: 400, reason: 'the request target names another host', pathname: '/' };
  const segments: string[] = [];
  for (const raw of parsed.pathname.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'the path has a malformed %-escape', pathname: parsed.pathname };
    }
    // An encoded separator would mean one path to the gate and another to the router. Dot
    // segments, encoded or not, the URL parser has already resolved, as Next's does.
    if (/[/\\\0]/.test(segment)) {
      return { ok: false, status: 400, reason: 'the path encodes a separator', pathname: parsed.pathname };
    }
    segments.push(segment);
  }
  const pathname = segments.join('/');
  return { ok: true, pathname, pathAndSearch: `${parsed.pathname}${parsed.search}` };
}

/** next-auth's endpoints take form posts (sign-in, sign-out); everything else is read with GET. */
export function allowedMethods(pathname: string): readonly string[] {
  return pathname.startsWith('/api/auth/') ? ['GET', 'HEAD', 'POST'] : ['GET', 'HEAD'];
}
