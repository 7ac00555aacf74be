import { StoreStatusCard } from '@/components/store-status-card';
import { loadConfig } from '@/lib/config';
import { storeStatus } from '@/lib/queries/store-status';

// Reads the stores on every request; never prerendered at build time.
export const dynamic = 'force-dynamic';

export default function StoresPage() {
  const config = loadConfig();
  const stores = storeStatus(config);
  return (
    <main className="mx-auto max-w-3xl p-8">
      <h1 className="text-2xl font-semibold">HydraMem</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Tenant <strong>{config.tenant}</strong> · project <strong>{config.project}</strong> · data in{' '}
        <code>{config.dataDir}</code>
      </p>
      <h2 className="mt-8 text-lg font-medium">Stores</h2>
      <ul className="mt-2 space-y-3">
        {stores.map((status) => (
          <StoreStatusCard key={status.store} status={status} />
        ))}
      </ul>
    </main>
  );
}
