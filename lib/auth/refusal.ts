/** The bodies of the gate's refusals (400, 401, 403, 405): they say what to do next and name no tenant data. */
export interface Refusal {
  status: 400 | 401 | 403 | 404 | 405 | 414;
  contentType: string;
  body: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, message: string, action: { href: string; label: string } | null): string {
  const link = action ? `<p><a href="${escapeHtml(action.href)}">${escapeHtml(action.label)}</a></p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · HydraMem dashboard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1.5rem;color:#0f172a;background:#fff}
h1{font-size:1.25rem}a{color:#0f766e}@media (prefers-color-scheme:dark){body{color:#f1f5f9;background:#020617}a{color:#5eead4}}</style>
</head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${link}</main></body></html>`;
}

/** Whether the client is a browser navigating (HTML) rather than a fetch from the page (RSC, JSON). */
export function wantsHtml(accept: string | undefined, isRscRequest: boolean): boolean {
  return !isRscRequest && (accept ?? '').includes('text/html');
}

export function unauthenticated(html: boolean): Refusal {
  if (!html) return { status: 401, contentType: 'application/json', body: '{"error":"not signed in"}' };
  return {
    status: 401,
    contentType: 'text/html; charset=utf-8',
    body: page('Not signed in', 'Open this dashboard through its sign-in address; your session may have ended.', null),
  };
}

/** 403 for a page only administrators may open (the viewer has a role, just not that one). */
export function adminOnly(html: boolean, user: string, adminGroups: readonly string[]): Refusal {
  if (!html) return { status: 403, contentType: 'application/json', body: '{"error":"for administrators only"}' };
  const groups = adminGroups.join(' or ');
  return {
    status: 403,
    contentType: 'text/html; charset=utf-8',
    body: page(
      'For administrators only',
      `You are signed in as ${user} with the support role. This page is for the tenant’s administrators (group ${groups}).`,
      { href: '/', label: 'Back to the overview' },
    ),
  };
}

/** 403 for a signed-in user in none of the dashboard's groups: who they are, and no name of the tenant's. */
export function forbidden(html: boolean, signOutUrl: string | null, user: string): Refusal {
  if (!html) return { status: 403, contentType: 'application/json', body: '{"error":"no access to this dashboard"}' };
  return {
    status: 403,
    contentType: 'text/html; charset=utf-8',
    body: page(
      'No access',
      `You are signed in as ${user}, but your account is in none of the groups that may see this dashboard. Ask your administrator to add you to its admin or support group.`,
      signOutUrl ? { href: signOutUrl, label: 'Sign in as someone else' } : null,
    ),
  };
}

/** A request target the router would read differently from the gate (a malformed %-escape, an encoded "/"), or too long. */
export function badRequest(html: boolean, reason: string, status: 400 | 414 = 400): Refusal {
  if (!html) return { status, contentType: 'application/json', body: JSON.stringify({ error: `bad request: ${reason}` }) };
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: page('Bad request', `This address cannot be read: ${reason}.`, { href: '/', label: 'Back to the overview' }),
  };
}

/** A path this mode does not have (the sign-in pages outside oidc mode). */
export function notFound(html: boolean, message: string): Refusal {
  if (!html) return { status: 404, contentType: 'application/json', body: JSON.stringify({ error: message }) };
  return {
    status: 404,
    contentType: 'text/html; charset=utf-8',
    body: page('Not found', message, { href: '/', label: 'Back to the overview' }),
  };
}

/** A method the path does not serve; the caller sets `Allow`. */
export function methodNotAllowed(html: boolean, method: string, allow: readonly string[]): Refusal {
  const message = `${method} is not served here; use ${allow.join(', ')}.`;
  if (!html) return { status: 405, contentType: 'application/json', body: JSON.stringify({ error: message }) };
  return { status: 405, contentType: 'text/html; charset=utf-8', body: page('Method not allowed', message, null) };
}
