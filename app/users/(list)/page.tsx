import Link from 'next/link';
import { UsersTable } from '@/components/identity-tables';
import { PageFrame } from '@/components/page-frame';
import { ReadPanel } from '@/components/read-outcome';
import { formatCount } from '@/lib/format';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { linkQuery, type SearchParams } from '@/lib/request/links';

export const dynamic = 'force-dynamic';

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams);
  const { read, context } = page;
  const { params, range } = context;
  // Paging goes by identifier: only for viewers who may see identifiers.
  const after = context.seesContent ? (params.after?.slice(0, 200) ?? null) : null;
  const users = await read('userList', { after });
  const query = linkQuery(params);
  return (
    <PageFrame page={page} title="Users" results={[users]}>
      <ReadPanel
        title="Users"
        id="users"
        note="calls and searches in the time range; memories and preferences now"
        result={users}
      >
        {(list) => (
          <>
            <p className="mb-2 text-sm" data-testid="user-count" data-value={list.total}>
              {formatCount(list.total)} users{after ? ', continued' : ''}
            </p>
            <UsersTable users={list} timeZone={range.timeZone} query={query} linked={context.seesContent} />
            {list.nextAfter && context.seesContent && (
              <Link
                className="mt-2 inline-block text-sm text-teal-700 underline report:hidden dark:text-teal-400"
                href={`/users${linkQuery(params, { after: list.nextAfter })}`}
              >
                Next page →
              </Link>
            )}
          </>
        )}
      </ReadPanel>
    </PageFrame>
  );
}
