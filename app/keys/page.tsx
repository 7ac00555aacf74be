import { KeysTable } from '@/components/identity-tables';
import { PageFrame } from '@/components/page-frame';
import { EmptyState } from '@/components/panel';
import { ReadPanel } from '@/components/read-outcome';
import { dashboardPage } from '@/lib/request/dashboard-page';
import type { SearchParams } from '@/lib/request/links';

export const dynamic = 'force-dynamic';

/** The tenant's API keys, as `hydramem keys list` shows them. Admins only. */
export default async function KeysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams, { adminOnly: true });
  const keys = await page.read('apiKeyList');
  return (
    <PageFrame page={page} title="API keys" results={[keys]}>
      <ReadPanel
        title="Keys"
        id="keys"
        note="prefix, environment, scopes and user of each key; never the key or its hash"
        result={keys}
      >
        {(list) =>
          list === null ? (
            <EmptyState>This telemetry file keeps no API keys: they need the HydraMem writer.</EmptyState>
          ) : (
            <KeysTable keys={list} timeZone={page.context.range.timeZone} />
          )
        }
      </ReadPanel>
    </PageFrame>
  );
}
