'use client';

import { signOut } from 'next-auth/react';

/** Ends the dashboard's own session, then goes to the provider's logout page (or back to sign-in). */
export function SignOutButton({ then }: { then: string }) {
  return (
    <button
      type="button"
      className="text-teal-700 underline dark:text-teal-400"
      onClick={() => void signOut({ redirect: false }).then(() => window.location.assign(then))}
    >
      Sign out
    </button>
  );
}
