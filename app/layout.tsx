import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { scriptNonce } from '@/lib/auth/current-viewer';
import './globals.css';

export const metadata: Metadata = {
  title: 'HydraMem dashboard',
  description: 'Read-only view of one tenant’s HydraMem memory: ingest activity, graph statistics and query logs.',
};

const THEME_SCRIPT = `try{var t=/[?&]view=report(&|$)/.test(location.search)?'light':localStorage.getItem('hydramem-theme');if(t==='dark'||(!t&&matchMedia('(prefers-color-scheme: dark)').matches))document.documentElement.classList.add('dark')}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The server's Content-Security-Policy allows inline scripts only with this response's nonce.
  const nonce = await scriptNonce();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Applies the saved (or the system's) theme before the first paint, so pages never flash; reports are light. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">{children}</body>
    </html>
  );
}
