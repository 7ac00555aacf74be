import { describe, expect, it } from 'vitest';
import {
  allowedFilters,
  REDACTED,
  redactEntityDetail,
  redactGraphSnapshot,
  redactLogRow,
  redactQueryDetail,
} from '../lib/auth/redaction';
import type { EntityDetail } from '../lib/queries/entity-detail';
import type { GraphSnapshot } from '../lib/queries/graph-snapshot';
import type { QueryLogRow } from '../lib/queries/query-log';
import { parseQueryLogFilters } from '../lib/queries/query-log-filters';

const row: QueryLogRow = {
  id: 7,
  ts: '2026-11-20T10:00:00.000000+00:00',
  tool: 'hydra_search_tool',
  query: 'who owns the launch budget',
  user_id: 'mara.okafor',
  memory_id: 'chat',
  session_id: 'sess-1',
  result_count: 3,
  latency_ms: 12.5,
  tokens_injected: 800,
  tokens_baseline: 2400,
  status: 'error',
  error: 'timeout after 5000 ms',
};

/** Every string value in a structure, to check that none of the content survived. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('redaction for the support role', () => {
  it('hides query text and user identifiers, keeps the operational fields', () => {
    const hidden = redactLogRow(row, 'support');
    expect(hidden).toEqual({ ...row, query: REDACTED, user_id: REDACTED, memory_id: REDACTED, session_id: REDACTED });
    expect(redactLogRow({ ...row, user_id: null }, 'support').user_id).toBeNull();
    expect(redactLogRow(row, 'admin')).toBe(row);
  });

  it('drops filters on hidden values', () => {
    const filters = parseQueryLogFilters({ q: 'budget', user: 'mara.okafor', session: 'sess-1', tool: 'hydra_search_tool' });
    expect(allowedFilters(filters, 'support')).toMatchObject({
      text: null,
      user: null,
      session: null,
      tool: 'hydra_search_tool',
    });
    expect(allowedFilters(filters, 'admin')).toBe(filters);
  });

  it('hides chunk text, headings and entity names of a search', () => {
    const detail = redactQueryDetail(
      {
        row,
        chunks: [
          { id: 'c1', source: 'notes/budget.md', heading: 'Launch budget', text: 'The launch budget is 4M', present: true },
          { id: 'c2', source: '', heading: null, text: '', present: false },
        ],
        entities: [{ id: 'e1', name: 'Launch Budget', type: 'project' }],
      },
      'support',
    );
    expect(strings(detail).filter((text) => /budget|mara|sess-1/i.test(text))).toEqual(['notes/budget.md']);
    expect(detail.chunks[0]).toMatchObject({ source: 'notes/budget.md', heading: REDACTED, text: REDACTED });
    expect(detail.chunks[1]).toMatchObject({ heading: null, text: '', present: false });
  });

  it('hides names, aliases, mention text and titles of an entity; keeps types, counts and paths', () => {
    const detail: EntityDetail = {
      entity: { id: 'e1', name: 'Project Falcon', type: 'project', created_at: 'a', updated_at: 'b' },
      aliases: ['Falcon'],
      mentions: {
        rows: [{ chunk_id: 'c1', heading: 'Falcon plan', text: 'Falcon ships in May', source: 'falcon.md', count: 2 }],
        total: 1,
      },
      sources: { rows: [{ doc_id: 'd1', path: 'falcon.md', title: 'Falcon plan', mentions: 2 }], total: 1 },
      neighbours: {
        rows: [{ id: 'e2', name: 'Ana Ruiz', type: 'person', relation: 'OWNS', direction: 'in', weight: 3 }],
        total: 1,
      },
    };
    const hidden = redactEntityDetail(detail, 'support');
    expect(strings(hidden).filter((text) => /Falcon|Ana/.test(text) && text !== 'falcon.md')).toEqual([]);
    expect(hidden.sources.rows[0]).toMatchObject({ path: 'falcon.md', mentions: 2 });
    expect(hidden.neighbours.rows[0]).toMatchObject({ type: 'person', relation: 'OWNS', weight: 3 });
    expect(redactEntityDetail(detail, 'admin')).toBe(detail);
  });

  it('hides hub and orphan names in the graph snapshot', () => {
    const snapshot = {
      computedAt: 'now',
      stats: {
        topHubs: [{ id: 'e1', name: 'Project Falcon', type: 'project', degree: 9 }],
        orphans: { count: 1, sample: [{ id: 'e3', name: 'Old Thing', type: 'topic' }] },
        entitiesByType: [{ type: 'project', count: 1 }],
      },
    } as unknown as GraphSnapshot;
    const hidden = redactGraphSnapshot(snapshot, 'support');
    expect(strings(hidden)).not.toContain('Project Falcon');
    expect(strings(hidden)).not.toContain('Old Thing');
    expect(hidden.stats.topHubs[0]?.degree).toBe(9);
  });
});
