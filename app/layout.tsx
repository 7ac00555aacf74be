import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { DashboardShell } from '@/components/shell/dashboard-shell';
import { currentViewer, scriptNonce } from '@/lib/auth/current-viewer';
import { dashboardAuth } from '@/lib/auth/dashboard-auth';
import { loadConfig } from '@/lib/config';
import './globals.css';

export const metadata: Metadata = {
  title: 'HydraMem dashboard',
  description: 'Read-only view of one tenant’s HydraMem memory: ingest activity, graph statistics and query logs.',
};

const THEME_SCRIPT = `try{var t=/[?&]view=report(&|$)/.test(location.search)?'light':localStorage.getItem('hydramem-theme');if(t==='dark'||(!t&&matchMedia('(prefers-color-scheme: dark)').matches))document.documentElement.classList.add('dark')}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The server's Content-Security-Policy allows inline scripts only with this response's nonce.
  const nonce = await scriptNonce();
  // Signed-in pages get the dashboard around them, drawn once here; sign-in pages stand alone.
  const viewer = await currentViewer();
  const config = loadConfig();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Applies the saved (or the system's) theme before the first paint, so pages never flash; reports are light. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        {viewer ? (
          <DashboardShell
            tenant={config.tenant}
            projects={config.dashboardProjects}
            viewer={viewer}
            logoutUrl={dashboardAuth().logoutUrl}
            renderedAt={new Date().toISOString()}
          >
            {children}
          </DashboardShell>
        ) : (
          children
        )}
      </body>
    </html>
  );
}
