import type { Viewer } from '@/lib/auth/viewer';
import { SignOutButton } from './sign-out-button';

/** Who is signed in, with which role, and the way out. */
export function ViewerBadge({ viewer, logoutUrl }: { viewer: Viewer; logoutUrl: string | null }) {
  if (viewer.mode === 'none') return null;
  return (
    <span className="flex items-center gap-2 text-sm" data-testid="viewer">
      <span>
        {viewer.name ?? viewer.user}{' '}
        <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs dark:bg-slate-800" data-testid="viewer-role">
          {viewer.role}
        </span>
      </span>
      {viewer.mode === 'oidc' ? (
        <SignOutButton then={logoutUrl ?? '/signin'} />
      ) : (
        logoutUrl && (
          <a href={logoutUrl} className="text-teal-700 underline dark:text-teal-400">
            Sign out
          </a>
        )
      )}
    </span>
  );
}
