import type { EntityDetail } from '../queries/entity-detail';
import type { GraphSnapshot } from '../queries/graph-snapshot';
import type { QueryDetail } from '../queries/query-detail';
import type { QueryLogPage, QueryLogRow } from '../queries/query-log';
import type { QueryLogFilters } from '../queries/query-log-filters';
import type { Role } from './roles';

/**
 * What support staff see instead of content: query text, document and chunk text (entity names
 * and aliases are pieces of it), and user identifiers. Counts, latencies, statuses, errors, tool
 * names, entity types and file paths stay. Applied on the server before anything is rendered, so
 * the content never reaches the browser in HTML, the RSC payload or JSON.
 */
export const REDACTED = '[redacted]';

export function seesContent(role: Role): boolean {
  return role === 'admin';
}

const hide = (value: string | null): string | null => (value === null ? null : REDACTED);

export function redactLogRow(row: QueryLogRow, role: Role): QueryLogRow {
  if (seesContent(role)) return row;
  return {
    ...row,
    query: REDACTED,
    user_id: hide(row.user_id),
    memory_id: hide(row.memory_id),
    session_id: hide(row.session_id),
  };
}

export function redactLogRows(rows: QueryLogRow[], role: Role): QueryLogRow[] {
  return rows.map((row) => redactLogRow(row, role));
}

export function redactHighlights(
  highlights: { slowest: QueryLogRow[]; zeroResults: QueryLogRow[] },
  role: Role,
): { slowest: QueryLogRow[]; zeroResults: QueryLogRow[] } {
  return { slowest: redactLogRows(highlights.slowest, role), zeroResults: redactLogRows(highlights.zeroResults, role) };
}

export function redactLogPage(page: QueryLogPage, role: Role): QueryLogPage {
  return { ...page, rows: redactLogRows(page.rows, role) };
}

/** Filters on hidden values are dropped for support: matching on them would reveal them one guess at a time. */
export function allowedFilters(filters: QueryLogFilters, role: Role): QueryLogFilters {
  return seesContent(role) ? filters : { ...filters, text: null, user: null, session: null };
}

export function redactQueryDetail(detail: QueryDetail, role: Role): QueryDetail {
  if (seesContent(role)) return detail;
  return {
    row: redactLogRow(detail.row, role),
    chunks: detail.chunks.map((chunk) => ({ ...chunk, heading: hide(chunk.heading), text: chunk.present ? REDACTED : '' })),
    entities: detail.entities.map((entity) => ({ ...entity, name: hide(entity.name) })),
  };
}

export function redactEntityDetail(detail: EntityDetail, role: Role): EntityDetail {
  if (seesContent(role)) return detail;
  return {
    entity: { ...detail.entity, name: REDACTED },
    aliases: [],
    mentions: {
      ...detail.mentions,
      rows: detail.mentions.rows.map((row) => ({ ...row, heading: hide(row.heading), text: REDACTED })),
    },
    sources: { ...detail.sources, rows: detail.sources.rows.map((row) => ({ ...row, title: REDACTED })) },
    neighbours: { ...detail.neighbours, rows: detail.neighbours.rows.map((row) => ({ ...row, name: REDACTED })) },
  };
}

export function redactGraphSnapshot(snapshot: GraphSnapshot, role: Role): GraphSnapshot {
  if (seesContent(role)) return snapshot;
  const { stats } = snapshot;
  return {
    ...snapshot,
    stats: {
      ...stats,
      topHubs: stats.topHubs.map((hub) => ({ ...hub, name: REDACTED })),
      orphans: { ...stats.orphans, sample: stats.orphans.sample.map((orphan) => ({ ...orphan, name: REDACTED })) },
    },
  };
}
