import type { DB } from '../store/open-writer';
import { scopeParams, visibleTo, type ReadScopeFilter } from '../store/scope';
import type { WalkStep } from './graph-paths';
import type { EntitySummary } from './search/search';

/** A chunk handed to an agent as context: its text and where it comes from. */
export interface ContextChunk {
  id: string;
  doc_id: string;
  source: string;
  title: string;
  heading: string | null;
  text: string;
  score: number;
}

/** A chunk the graph walk reached, with the entities (nearest first) that mention it. */
export interface WalkedChunk extends ContextChunk {
  via_entities: Array<EntitySummary & { hops: number }>;
}

/** An entity listed with a context: how far from the start it is, and over which relation it was reached. */
export type ContextEntity = WalkStep;

export interface ContextResult {
  chunks: ContextChunk[];
  /** A numbered block to paste into a prompt: each chunk, then the related entities. */
  context: string;
  entities: ContextEntity[];
}

/** Each hop away from a start halves what an entity's mentions count for. */
export const HOP_FACTOR = 0.5;
const MENTIONS_PER_ENTITY = 50;

/** A chunk as stored, before it is scored. */
type ChunkText = Omit<ContextChunk, 'score'>;

/**
 * The chunks the reader may see that mention the reached entities, best first. A chunk's score is
 * the sum, over the reached entities that mention it, of mentions × 0.5^hops (each entity's
 * strongest 50 mentions are read), so chunks about the starts come before their neighbours'.
 */
export function chunksMentioning(
  db: DB,
  project: string,
  reached: readonly WalkStep[],
  scope: ReadScopeFilter,
  limit: number,
): WalkedChunk[] {
  const params = { project, limit: MENTIONS_PER_ENTITY, ...scopeParams(scope) };
  const mentionsOf = db.prepare<typeof params & { entity: string }, { chunk_id: string; count: number }>(
    `SELECT m.chunk_id, m.count FROM mentions m JOIN chunks c ON c.id = m.chunk_id
     WHERE m.entity_id = @entity AND +c.project = @project AND ${visibleTo('c')} ORDER BY m.count DESC LIMIT @limit`,
  );
  const scores = new Map<string, { score: number; via: WalkedChunk['via_entities'] }>();
  for (const step of reached) {
    for (const mention of mentionsOf.all({ ...params, entity: step.id })) {
      const entry = scores.get(mention.chunk_id) ?? { score: 0, via: [] };
      entry.score += mention.count * HOP_FACTOR ** step.hops;
      entry.via.push({ id: step.id, name: step.name, type: step.type, hops: step.hops });
      scores.set(mention.chunk_id, entry);
    }
  }
  const top = [...scores.entries()].sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  const texts = chunkTexts(
    db,
    project,
    top.map(([id]) => id),
  );
  return top.flatMap(([id, entry]) => {
    const chunk = texts.get(id);
    if (!chunk) return [];
    const via = [...entry.via].sort((a, b) => a.hops - b.hops || a.name.localeCompare(b.name));
    return [{ ...chunk, score: Number(entry.score.toFixed(6)), via_entities: via }];
  });
}

function chunkTexts(db: DB, project: string, ids: readonly string[]): Map<string, ChunkText> {
  const rows = db
    .prepare<[string, string], ChunkText>(
      `SELECT c.id, c.doc_id, c.source, d.title, c.heading, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id
       WHERE +c.project = ? AND c.id IN (SELECT value FROM json_each(?))`,
    )
    .all(project, JSON.stringify(ids));
  return new Map(rows.map((row) => [row.id, row]));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function describeEntity(entity: ContextEntity, names: ReadonlyMap<string, string>): string {
  const own = `${entity.name} (${entity.type})`;
  if (!entity.relation || !entity.via) return `- ${own}`;
  const via = names.get(entity.via) ?? entity.via;
  const [from, to] = entity.relation.direction === 'out' ? [via, entity.name] : [entity.name, via];
  return `- ${own}: ${from} ${entity.relation.type} ${to}`;
}

/** "[1] source — text", one paragraph a chunk, then the related entities with the relation that joins them. */
export function contextBlock(chunks: readonly ContextChunk[], entities: readonly ContextEntity[]): string {
  const names = new Map(entities.map((entity) => [entity.id, entity.name]));
  const numbered = chunks.map((chunk, index) => `[${index + 1}] ${chunk.source} — ${oneLine(chunk.text)}`);
  const related = entities.length > 0 ? ['Related entities:', ...entities.map((e) => describeEntity(e, names))] : [];
  return [...numbered, ...(related.length > 0 ? ['', ...related] : [])].join('\n');
}

/** The context shape priming and expand share: plain chunks, the block, the entities each listed once. */
export function contextResult(chunks: readonly ContextChunk[], entities: readonly ContextEntity[]): ContextResult {
  const plain = chunks.map(({ id, doc_id, source, title, heading, text, score }) => ({
    id,
    doc_id,
    source,
    title,
    heading,
    text,
    score,
  }));
  return { chunks: plain, context: contextBlock(plain, entities), entities: [...entities] };
}
