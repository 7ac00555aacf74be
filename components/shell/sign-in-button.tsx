'use client';

import { signIn } from 'next-auth/react';

export function SignInButton({
  providerId,
  providerName,
  callbackUrl,
}: {
  providerId: string;
  providerName: string;
  callbackUrl: string;
}) {
  return (
    <button
      type="button"
      className="rounded bg-teal-700 px-4 py-2 text-white hover:bg-teal-800"
      onClick={() => void signIn(providerId, { callbackUrl })}
    >
      Sign in with {providerName}
    </button>
  );
}
