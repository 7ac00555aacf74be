import { UsersTable } from '@/components/identity-tables';
import { PageFrame } from '@/components/page-frame';
import { TablePager } from '@/components/pager';
import { ReadPanel } from '@/components/read-outcome';
import { plural } from '@/lib/format';
import { USERS_PER_PAGE } from '@/lib/read/users';
import { pagePosition, pagerLinks } from '@/lib/request/paging';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { linkQuery, type SearchParams } from '@/lib/request/links';
import { nameColumnSort, nameOrderParam } from '@/lib/request/sort-param';

export const dynamic = 'force-dynamic';

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams);
  const { read, context } = page;
  const { params, range } = context;
  // Paging goes by identifier: only for viewers who may see identifiers.
  const after = context.seesContent ? (params.after?.slice(0, 200) ?? null) : null;
  const order = context.seesContent ? nameOrderParam(params) : 'asc';
  const users = await read('userList', { after, order });
  const sort = nameColumnSort(order);
  const listHref = (changes: Record<string, string | null>): string =>
    `/users${linkQuery(params, { sort: order === 'desc' ? 'user_desc' : null, ...changes })}`;
  const query = linkQuery(params);
  const position = pagePosition(params.at, after ?? undefined);
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
              {plural(list.total, 'user')}
            </p>
            <UsersTable
              users={list}
              timeZone={range.timeZone}
              query={query}
              linked={context.seesContent}
              sort={
                context.seesContent
                  ? { direction: sort.direction, href: listHref({ sort: sort.other, after: null, at: null }) }
                  : undefined
              }
            />
            {context.seesContent && (
              <TablePager
                testId="users-pager"
                position={position}
                shown={list.rows.length}
                total={{ count: list.total, capped: false }}
                links={pagerLinks(
                  'after',
                  position,
                  USERS_PER_PAGE,
                  list.rows.length,
                  list.previous && { cursor: list.previous.after },
                  list.nextAfter,
                )}
                href={listHref}
              />
            )}
          </>
        )}
      </ReadPanel>
    </PageFrame>
  );
}
