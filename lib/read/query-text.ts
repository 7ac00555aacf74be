import { hasTable } from '../store/open-readonly';
import type { ReadDB } from '../store/read-db';

/**
 * How the query log's free-text filter finds its rows. The writer keeps a trigram index of each
 * search's text (`query_log_text`, metrics schema 6), so a substring of three characters or more
 * is looked up rather than tested against every row of the range:
 *
 * - `few`: the text occurs in at most FEW_MATCHES searches of the whole log. Those rows are read
 *   by id from the index and the other filters and the order apply to them alone.
 * - `many`: it occurs more often. A page is then read in its own order through the usual index,
 *   testing each row, which fills a page after a few rows per match; the count walks the index
 *   newest first and stops at the cap, so neither reads the rows that do not match.
 * - `scan`: the text is shorter than a trigram, or the store has no index (a Python HydraMem
 *   file): each row of the range is tested, as before.
 *
 * In every plan the row's own text is also tested with the escaped LIKE, so what matches is exactly
 * what `LIKE '%text%'` matches, whatever the index finds.
 */
export type TextPlan = { kind: 'scan' } | { kind: 'few' | 'many'; match: string };

/** The LIKE operator on query_log_text's own column, which FTS5 answers from its trigram index. */
export const TEXT_INDEX_LIKE = 'query LIKE @match';

export const FEW_MATCHES = 5000;
const TRIGRAM = 3;

const plans = new WeakMap<ReadDB, Map<string, TextPlan>>();

/**
 * The text as a LIKE pattern for the index. FTS5 passes a LIKE to its index only without ESCAPE,
 * so a `%` or `_` in the text becomes `_` (any one character): that finds a superset, which the
 * exact, escaped LIKE on the row then narrows.
 */
function indexPattern(text: string): string {
  return `%${text.replace(/[%_]/g, '_')}%`;
}

/** The index can narrow the search only with three characters in a row that are not wildcards. */
function hasTrigram(text: string): boolean {
  return text.split(/[%_]/).some((run) => [...run].length >= TRIGRAM);
}

function planFor(db: ReadDB, text: string): TextPlan {
  if (!hasTrigram(text) || !hasTable(db, 'query_log_text')) return { kind: 'scan' };
  const match = indexPattern(text);
  const found =
    db
      .prepare<{ match: string; limit: number }, { n: number }>(
        `SELECT COUNT(*) AS n FROM (SELECT 1 FROM query_log_text WHERE ${TEXT_INDEX_LIKE} LIMIT @limit)`,
      )
      .get({ match, limit: FEW_MATCHES + 1 })?.n ?? 0;
  return { kind: found > FEW_MATCHES ? 'many' : 'few', match };
}

/** The plan for this text on this connection; worked out once per read, however many statements use it. */
export function textPlan(db: ReadDB, text: string): TextPlan {
  let byText = plans.get(db);
  if (!byText) plans.set(db, (byText = new Map()));
  const known = byText.get(text);
  if (known) return known;
  const plan = planFor(db, text);
  byText.set(text, plan);
  return plan;
}
