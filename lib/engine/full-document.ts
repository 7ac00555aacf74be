import type { DB } from '../store/open-writer';
import { scopeParams, visibleTo, type ReadScopeFilter } from '../store/scope';

export type FullDocument =
  | { found: false; doc_id: string }
  | {
      found: true;
      doc_id: string;
      title: string;
      path: string;
      source: string;
      chunks: number;
      tokens: number;
      updated_at: string;
      text: string;
    };

interface DocumentRow {
  id: string;
  title: string;
  path: string;
  source: string;
  tokens: number;
  updated_at: string;
}

/**
 * A piece of a long section starts with the tail of the piece before it and a blank line
 * (lib/engine/ingest/chunk.ts): the longest such repeated tail is dropped.
 */
function withoutOverlap(previous: string, next: string): string {
  let cut = -1;
  for (let at = next.indexOf('\n\n'); at > 0; at = next.indexOf('\n\n', at + 1)) {
    if (previous.endsWith(next.slice(0, at))) cut = at;
  }
  return cut < 0 ? next : next.slice(cut + 2);
}

/** The chunks' texts in order, joined by blank lines, with the overlap between pieces of one section removed. */
export function reassemble(chunks: ReadonlyArray<{ heading: string | null; text: string }>): string {
  const parts: string[] = [];
  chunks.forEach((chunk, index) => {
    const previous = chunks[index - 1];
    const sameSection = previous !== undefined && previous.heading === chunk.heading;
    parts.push(sameSection ? withoutOverlap(previous.text, chunk.text) : chunk.text);
  });
  return parts.join('\n\n');
}

/**
 * A document the reader may see, by its id (the Python HydraMem's: sha256 of the absolute path) or
 * its path (as ingest shows it, or absolute), with its whole text reassembled from its chunks (the
 * note's body: front matter is not kept in chunks). Another user's document is not found.
 */
export function fullDocument(db: DB, project: string, ref: string, scope: ReadScopeFilter): FullDocument {
  const params = { project, ref, ...scopeParams(scope) };
  const doc = db
    .prepare<typeof params, DocumentRow>(
      `SELECT d.id, d.title, d.path, d.source, d.tokens, d.updated_at FROM documents d
       WHERE d.project = @project AND ${visibleTo('d')} AND (d.id = @ref OR d.path = @ref OR d.abs_path = @ref)
       ORDER BY d.id = @ref DESC, d.user_id IS NOT NULL, d.id LIMIT 1`,
    )
    .get(params);
  if (!doc) return { found: false, doc_id: ref };
  const chunks = db
    .prepare<[string], { heading: string | null; text: string }>(
      'SELECT heading, text FROM chunks WHERE doc_id = ? ORDER BY chunk_idx',
    )
    .all(doc.id);
  return {
    found: true,
    doc_id: doc.id,
    title: doc.title,
    path: doc.path,
    source: doc.source,
    chunks: chunks.length,
    tokens: doc.tokens,
    updated_at: doc.updated_at,
    text: reassemble(chunks),
  };
}
