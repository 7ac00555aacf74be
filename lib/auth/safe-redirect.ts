/**
 * A redirect target that stays on the dashboard's own origin: a path, or an absolute URL with the
 * same origin. Anything else (another host, "//host", "/\host", "javascript:") becomes the home page.
 * Parsing with the WHATWG URL parser is what a browser does, so "/\evil.example" is caught as a host.
 */
export function safeRedirect(target: string | null | undefined, publicUrl: URL): string {
  const home = new URL('/', publicUrl).href;
  if (!target) return home;
  let resolved: URL;
  try {
    resolved = new URL(target, publicUrl);
  } catch {
    return home;
  }
  if (resolved.origin !== publicUrl.origin) return home;
  return new URL(`${resolved.pathname}${resolved.search}`, publicUrl).href;
}

/** The path and query of a request target, dropping any scheme and host a client put in it. */
export function requestPath(url: string | undefined): { pathname: string; pathAndSearch: string } {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '/', 'http://request.invalid');
  } catch {
    parsed = new URL('http://request.invalid/');
  }
  return { pathname: parsed.pathname, pathAndSearch: `${parsed.pathname}${parsed.search}` };
}
