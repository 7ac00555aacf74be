import { notFound } from 'next/navigation';
import { SignInButton } from '@/components/shell/sign-in-button';
import { dashboardAuth } from '@/lib/auth/dashboard-auth';
import { OIDC_PROVIDER_ID } from '@/lib/auth/oidc-options';
import { safeRedirect } from '@/lib/auth/safe-redirect';
import { firstValues, type SearchParams } from '@/lib/request/links';

export const dynamic = 'force-dynamic';

/** next-auth's error codes, in words; anything else is a generic failure. */
const ERRORS: Record<string, string> = {
  OAuthCallback: 'The sign-in provider did not complete the sign-in. Try again.',
  OAuthSignin: 'The sign-in provider could not be reached. Try again, or ask your administrator.',
  SessionRequired: 'Your session has ended: sign in again.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const config = dashboardAuth();
  if (config.mode !== 'oidc' || !config.oidc || !config.publicUrl) notFound();
  const params = firstValues(await searchParams);
  const callbackUrl = safeRedirect(params.callbackUrl, config.publicUrl);
  const error = params.error ? (ERRORS[params.error] ?? 'Sign-in failed. Try again, or ask your administrator.') : null;
  return (
    <main className="mx-auto mt-[15vh] max-w-md space-y-4 px-6">
      <h1 className="text-xl font-semibold">HydraMem dashboard</h1>
      <p className="text-sm">
        Tenant <strong>{config.tenant}</strong>. Sign in to see this tenant’s memory.
      </p>
      {error && (
        <p
          role="alert"
          className="rounded border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100"
        >
          {error}
        </p>
      )}
      <SignInButton providerId={OIDC_PROVIDER_ID} providerName={config.oidc.providerName} callbackUrl={callbackUrl} />
    </main>
  );
}
