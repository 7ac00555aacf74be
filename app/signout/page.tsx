import { notFound } from 'next/navigation';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { dashboardAuth } from '@/lib/auth/dashboard-auth';

export const dynamic = 'force-dynamic';

/** Where "sign in as someone else" leads with OIDC: ends this dashboard's session first. */
export default function SignOutPage() {
  const config = dashboardAuth();
  if (config.mode !== 'oidc') notFound();
  return (
    <main className="mx-auto mt-[15vh] max-w-md space-y-4 px-6">
      <h1 className="text-xl font-semibold">Sign out</h1>
      <p className="text-sm">End your session on this dashboard (tenant {config.tenant}).</p>
      <SignOutButton then={config.logoutUrl ?? '/signin'} />
    </main>
  );
}
