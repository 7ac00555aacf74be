import path from 'node:path';
import { chunkId, contentHash } from '../../store/ids';
import { normaliseName } from '../../store/ids';
import { chunkMarkdown, estimateTokens, type Chunk, type ChunkOptions } from './chunk';
import { isEntityName, MAX_ENTITY_NAME_CHARS, readChunk, wikilinkTargets, type Mention } from './extract';
import { NoteContentError, splitFrontMatter, stringList, type FrontMatter } from './front-matter';

/** An entity type is a word or two (document, person, runbook). */
export const MAX_TYPE_CHARS = 40;

export interface PreparedChunk extends Chunk {
  id: string;
  mentions: Mention[];
}

export interface NamedRelation {
  from: string;
  to: string;
  type: string;
  count: number;
  /** The sentence the relation was read from, when it was read from one. */
  evidence?: string;
  /** How sure the source is, 0..1 (an agent's submission); a note's relations leave the column's default. */
  confidence?: number;
}

/** What made a document: a note file, a remembered text, or an agent's own chunks or session extraction. */
export type DocumentSource = 'file' | 'remember' | 'ingest_prechunked' | 'submit_session_extraction';

/** The tool and session that relations a document creates are stamped with (relations.origin_tool, session_id). */
export interface RelationOrigin {
  tool: string;
  sessionId: string | null;
}

/** A note turned into everything the graph needs, before any id is resolved against the store. */
export interface PreparedDocument {
  id: string;
  path: string;
  absPath: string | null;
  title: string;
  contentHash: string;
  frontMatter: FrontMatter;
  bytes: number;
  tokens: number;
  mtimeMs: number | null;
  source: DocumentSource;
  userId: string | null;
  memoryId: string | null;
  /** The document's own entity (a note is one); null when only its chunks name entities. */
  entity: { name: string; type: string } | null;
  /** Default: relations made by ingest, with no session. */
  origin?: RelationOrigin;
  aliases: string[];
  chunks: PreparedChunk[];
  relations: NamedRelation[];
}

export interface NoteInput {
  id: string;
  path: string;
  absPath: string | null;
  text: string;
  bytes: number;
  mtimeMs: number | null;
  source: 'file' | 'remember';
  userId?: string | null;
  memoryId?: string | null;
  /** Title to use when the note has neither a front-matter title nor an H1. */
  fallbackTitle: string;
}

/** Front-matter keys with a meaning of their own; every other key holding wikilinks is a relation. */
const RESERVED_KEYS = new Set(['title', 'type', 'tags', 'aliases', 'alias']);
/** Co-occurrence pairs grow with the square of this: the strongest 8 mentions of a chunk give at most 28 edges. */
const MAX_COOCCURRING = 8;

/** A relation type as the graph writes it: upper case, words joined by `_` (RELATED when nothing is left). */
export function relationTypeForKey(key: string): string {
  return (
    key
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'RELATED'
  );
}

/** The front-matter title (refused when it is not a name), else the first H1 that is one, else the file name. */
function titleOf(frontMatter: FrontMatter, body: string, fallback: string): string {
  const fromFrontMatter = stringList(frontMatter.title)[0];
  if (fromFrontMatter && !isEntityName(fromFrontMatter)) {
    throw new NoteContentError(
      `the front-matter title is ${fromFrontMatter.length.toLocaleString('en-US')} characters long; at most ${MAX_ENTITY_NAME_CHARS}`,
    );
  }
  if (fromFrontMatter) return fromFrontMatter;
  const h1 = /^#[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(body)?.[1]?.trim();
  return h1 && isEntityName(h1) ? h1 : fallback.slice(0, MAX_ENTITY_NAME_CHARS);
}

function frontMatterRelations(frontMatter: FrontMatter, from: string): NamedRelation[] {
  const relations: NamedRelation[] = [];
  for (const [key, value] of Object.entries(frontMatter)) {
    if (RESERVED_KEYS.has(key.toLowerCase())) continue;
    for (const item of stringList(value)) {
      for (const target of wikilinkTargets(item)) relations.push({ from, to: target, type: relationTypeForKey(key), count: 1 });
    }
  }
  return relations;
}

function cooccurrences(mentions: Mention[]): NamedRelation[] {
  const top = [...mentions].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, MAX_COOCCURRING);
  const pairs: NamedRelation[] = [];
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const a = top[i];
      const b = top[j];
      if (!a || !b) continue;
      // One undirected edge per pair: order the ends so both notes count towards the same row.
      const [first, second] = normaliseName(a.name) < normaliseName(b.name) ? [a, b] : [b, a];
      pairs.push({ from: first.name, to: second.name, type: 'CO_OCCURS', count: 1 });
    }
  }
  return pairs;
}

/** A sentence's relations; in a note with links, only the typed ones (its co-occurrences are the chunk's, as before). */
function sentenceRelations(reading: ReturnType<typeof readChunk>, typedOnly: boolean): NamedRelation[] {
  return reading.sentences.flatMap((sentence) =>
    sentence.relations
      .filter((relation) => !typedOnly || relation.type !== 'CO_OCCURS')
      .map((relation) => {
        // One undirected edge per pair, as in `cooccurrences`.
        const swap = relation.type === 'CO_OCCURS' && normaliseName(relation.to) < normaliseName(relation.from);
        const [from, to] = swap ? [relation.to, relation.from] : [relation.from, relation.to];
        return { from, to, type: relation.type, count: 1, evidence: sentence.text };
      }),
  );
}

export function prepareDocument(input: NoteInput, options: ChunkOptions): PreparedDocument {
  const { frontMatter, body } = splitFrontMatter(input.text);
  const title = titleOf(frontMatter, body, input.fallbackTitle);
  const type = stringList(frontMatter.type)[0]?.toLowerCase().slice(0, MAX_TYPE_CHARS) ?? 'document';
  const tags = stringList(frontMatter.tags)
    .map((tag) => tag.replace(/^#/, ''))
    .filter(isEntityName);
  const aliases = [...stringList(frontMatter.aliases), ...stringList(frontMatter.alias)].filter(isEntityName);

  const readings = chunkMarkdown(body, options).map((chunk) => ({ chunk, reading: readChunk(chunk.text, chunk.heading, title) }));
  const chunks: PreparedChunk[] = readings.map(({ chunk, reading }) => ({
    ...chunk,
    id: chunkId(input.id, chunk.index),
    mentions: reading.mentions,
  }));
  const first = chunks[0];
  if (first) {
    // The note itself and its front-matter tags are what its first chunk is about.
    first.mentions.push({ name: title, type, source: 'wikilink', count: 1 });
    for (const tag of tags) first.mentions.push({ name: tag, type: 'tag', source: 'tag', count: 1 });
  }

  const relations: NamedRelation[] = [...frontMatterRelations(frontMatter, title)];
  // A note with links keeps its chunk-wide co-occurrences; in plain prose, two names are related only within a sentence.
  const linked = relations.length > 0 || wikilinkTargets(body).length > 0;
  for (const tag of tags) relations.push({ from: title, to: tag, type: 'TAGGED', count: 1 });
  for (const [index, chunk] of chunks.entries()) {
    for (const target of wikilinkTargets(chunk.text)) relations.push({ from: title, to: target, type: 'LINKS_TO', count: 1 });
    if (linked) relations.push(...cooccurrences(chunk.mentions));
    const reading = readings[index]?.reading;
    if (reading) relations.push(...sentenceRelations(reading, linked));
  }

  return {
    id: input.id,
    path: input.path,
    absPath: input.absPath,
    title,
    contentHash: contentHash(input.text),
    frontMatter,
    bytes: input.bytes,
    tokens: estimateTokens(body),
    mtimeMs: input.mtimeMs,
    source: input.source,
    userId: input.userId ?? null,
    memoryId: input.memoryId ?? null,
    entity: { name: title, type },
    aliases,
    chunks,
    relations,
  };
}

export function fallbackTitleFromPath(filePath: string): string {
  return path.basename(filePath).replace(/\.(md|markdown|txt)$/i, '');
}
