import { GetForm } from '@/components/get-form';
import { DetailFrame } from '@/components/detail-frame';
import { PageFrame } from '@/components/page-frame';
import { Panel } from '@/components/panel';
import { PreferenceTimeline } from '@/components/preference-timeline';
import { formatInstant, plural } from '@/lib/format';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { linkQuery, type SearchParams } from '@/lib/request/links';
import { parseInstant } from '@/lib/request/range';
import { parseTimestamp } from '@/lib/store/time';

export const dynamic = 'force-dynamic';

/** One user: attributes, memories and the preference timeline, with the set in force at a chosen time. Admins only. */
export default async function UserPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const page = await dashboardPage(searchParams, { adminOnly: true });
  const { context } = page;
  const identifier = safeDecode(id);
  const asOf = parseInstant(context.params.as_of);
  const detail = identifier ? await page.read('userDetail', { identifier, asOf }) : null;
  const query = linkQuery(context.params);
  const tz = context.range.timeZone;
  return (
    <PageFrame page={page} title={identifier ? `User ${identifier}` : 'User'} results={detail ? [detail] : []}>
      <DetailFrame back={{ href: `/users${query}`, label: 'Users' }} result={detail}>
        {(user) => (
          <div className="space-y-4">
            <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4" data-testid="user-summary">
              <dt className="text-slate-500 dark:text-slate-400">Identifier</dt>
              <dd className="break-all">{user.identifier}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Attributes</dt>
              <dd className="break-all">
                <code>{user.attributes}</code>
              </dd>
              <dt className="text-slate-500 dark:text-slate-400">Created</dt>
              <dd>{formatInstant(parseTimestamp(user.created_at), tz, true)}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Last seen</dt>
              <dd>{formatInstant(parseTimestamp(user.last_seen_at), tz, true)}</dd>
            </dl>
            <Panel title={`Memories (${user.memories.length})`} id="memories">
              <ul className="text-sm" data-testid="user-memories">
                {user.memories.length === 0 && <li className="text-slate-500 dark:text-slate-400">No memories yet.</li>}
                {user.memories.map((memory) => (
                  <li key={memory.memory_id}>
                    <strong>{memory.memory_id}</strong>: {plural(memory.documents, 'document')}, {plural(memory.chunks, 'chunk')},
                    last written {formatInstant(parseTimestamp(memory.updated_at), tz, true)}
                  </li>
                ))}
              </ul>
            </Panel>
            <Panel
              title={`Preferences (${user.preferencesTotal})`}
              id="preferences"
              note={`marked: in force at ${formatInstant(parseTimestamp(user.asOf), tz, true)} (${tz})`}
            >
              <GetForm
                hidden={Object.fromEntries(new URLSearchParams(query.slice(1)))}
                className="mb-3 flex flex-wrap items-end gap-2 text-sm report:hidden"
              >
                <label className="flex flex-col">
                  As of (UTC)
                  <input
                    name="as_of"
                    type="datetime-local"
                    defaultValue={user.asOf.slice(0, 16)}
                    className="rounded border border-slate-300 bg-transparent px-2 py-1 dark:border-slate-700"
                  />
                </label>
                <button type="submit" className="rounded bg-teal-700 px-3 py-1 text-white">
                  Show
                </button>
              </GetForm>
              <PreferenceTimeline user={user} timeZone={tz} />
            </Panel>
          </div>
        )}
      </DetailFrame>
    </PageFrame>
  );
}

function safeDecode(segment: string): string | null {
  try {
    const value = decodeURIComponent(segment);
    return value.length > 0 && value.length <= 200 ? value : null;
  } catch {
    return null;
  }
}
