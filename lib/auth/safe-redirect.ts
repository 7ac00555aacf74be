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
