import type { DB } from '../store/open-writer';
import { scopeParams, visibleTo, type ReadScopeFilter } from '../store/scope';
import { findEntities } from './graph-read';
import { conflictKind, describeConflict, normaliseRelationType, sameRelation, type ConflictKind } from './relation-rules';
import type { EntitySummary } from './search/search';
import { mentionsName, textConflicts, type TextConflict } from './text-conflicts';

/** A relation between the two entities a verdict is about, as the reader may see it. */
export interface RelationRow {
  id: number;
  from_id: string;
  from_name: string;
  to_id: string;
  to_name: string;
  type: string;
  weight: number;
  confidence: number;
  origin_tool: string;
}

const RELATIONS_CAP = 200;
const SOURCES_SHOWN = 20;

/** Relations between any of `a` and any of `b`, in both directions, that the reader may see. */
function relationsBetween(db: DB, project: string, a: string[], b: string[], scope: ReadScopeFilter): RelationRow[] {
  if (a.length === 0 || b.length === 0) return [];
  const params = { project, a: JSON.stringify(a), b: JSON.stringify(b), cap: RELATIONS_CAP, ...scopeParams(scope) };
  return db
    .prepare<typeof params, RelationRow>(
      `SELECT r.id, r.from_id, f.name AS from_name, r.to_id, t.name AS to_name, r.type, r.weight, r.confidence, r.origin_tool
       FROM relations r JOIN entities f ON f.id = r.from_id JOIN entities t ON t.id = r.to_id
       WHERE +r.project = @project AND ${visibleTo('r')} AND (
         (r.from_id IN (SELECT value FROM json_each(@a)) AND r.to_id IN (SELECT value FROM json_each(@b)))
         OR (r.from_id IN (SELECT value FROM json_each(@b)) AND r.to_id IN (SELECT value FROM json_each(@a))))
       ORDER BY r.weight DESC, r.id LIMIT @cap`,
    )
    .all(params);
}

/** The documents (visible to the reader) that assert any of the relations: how many, and the first paths. */
function sourcesOf(db: DB, relationIds: number[], scope: ReadScopeFilter): { documents: number; sources: string[] } {
  const params = { ids: JSON.stringify(relationIds), ...scopeParams(scope) };
  const paths = db
    .prepare<typeof params, { path: string }>(
      `SELECT DISTINCT d.path FROM relation_sources s JOIN documents d ON d.id = s.doc_id
       WHERE s.relation_id IN (SELECT value FROM json_each(@ids)) AND ${visibleTo('d')} ORDER BY d.path`,
    )
    .all(params)
    .map((row) => row.path);
  return { documents: paths.length, sources: paths.slice(0, SOURCES_SHOWN) };
}

const idsOf = <Id extends string | number>(rows: ReadonlyArray<{ id: Id }>): Id[] => rows.map((row) => row.id);
const edgeOf = (row: RelationRow) => ({ from: row.from_id, to: row.to_id, type: row.type });

function phrase(row: Pick<RelationRow, 'from_name' | 'type' | 'to_name'>): string {
  return `${row.from_name} ${row.type} ${row.to_name}`;
}

export type RelationVerdict = 'supported' | 'disputed' | 'contradicted' | 'unsupported';

export interface VerifyRequest {
  from: string;
  to: string;
  type: string;
  sourceText: string;
  targetText: string;
  /** A relation counts as support when its stored confidence is at least this. */
  confidence: number;
}

function verdictOf(supported: boolean, contradicted: boolean): RelationVerdict {
  if (supported) return contradicted ? 'disputed' : 'supported';
  return contradicted ? 'contradicted' : 'unsupported';
}

function textMentions(text: string, names: string[]): boolean | null {
  return text.trim() === '' ? null : names.some((name) => mentionsName(text, name));
}

function namesOf(ref: string, found: EntitySummary[]): string[] {
  return [ref, ...found.map((entity) => entity.name)];
}

/** The relations between the two entities, sorted into those that are the claim and those that break it. */
function weighClaim(rows: RelationRow[], fromIds: ReadonlySet<string>, type: string, threshold: number) {
  // The claim between a row's two entities, oriented from the `from` side.
  const claimFor = (row: RelationRow) =>
    fromIds.has(row.from_id) ? { from: row.from_id, to: row.to_id, type } : { from: row.to_id, to: row.from_id, type };
  const matching = rows.filter((row) => sameRelation(claimFor(row), edgeOf(row)));
  const contradictions = rows.flatMap((row) => {
    const kind = conflictKind(claimFor(row), edgeOf(row));
    return kind ? [{ ...row, kind }] : [];
  });
  return { matching, counted: matching.filter((row) => row.confidence >= threshold), contradictions };
}

function unknownReasons(refs: ReadonlyArray<readonly [string, EntitySummary[]]>, consequence: string): string[] {
  return refs.flatMap(([ref, found]) =>
    found.length === 0 ? [`no entity "${ref}" that this caller may see${consequence}`] : [],
  );
}

function supportReason(claim: string, counted: RelationRow[], documents: number): string {
  const origins = documents === 0 ? ` (added by ${counted.map((row) => row.origin_tool).join(', ')})` : '';
  return `${claim} is in the graph (${counted.length} relation(s)), asserted by ${documents} document(s)${origins}`;
}

/**
 * A verdict on "from —type→ to" from the graph the reader sees: supported when a relation of that
 * type in that direction (co-occurrence: either) has at least the given confidence; contradicted
 * when a relation between the two breaks it by the rules of relation-rules.ts; disputed when both;
 * unsupported when neither. The texts are checked for naming their entity; they never change the verdict.
 */
export function verifyRelation(db: DB, project: string, request: VerifyRequest, scope: ReadScopeFilter) {
  const from = findEntities(db, project, request.from, scope);
  const to = findEntities(db, project, request.to, scope);
  const type = normaliseRelationType(request.type);
  const fromIds = new Set(from.map((entity) => entity.id));
  const rows = relationsBetween(db, project, [...fromIds], idsOf(to), scope);
  const { matching, counted, contradictions } = weighClaim(rows, fromIds, type, request.confidence);
  const support = { relations: counted.length, ...sourcesOf(db, idsOf(counted), scope) };
  const claim = phrase({ from_name: from[0]?.name ?? request.from, type, to_name: to[0]?.name ?? request.to });
  const texts = {
    source_mentions_from: textMentions(request.sourceText, namesOf(request.from, from)),
    target_mentions_to: textMentions(request.targetText, namesOf(request.to, to)),
  };
  const reasons = [
    ...unknownReasons(
      [
        [request.from, from],
        [request.to, to],
      ],
      '',
    ),
    ...(counted.length > 0 ? [supportReason(claim, counted, support.documents)] : []),
    ...(counted.length === 0 && from.length > 0 && to.length > 0 ? [`the graph holds no ${claim}`] : []),
    ...(matching.length > counted.length
      ? [`${matching.length - counted.length} matching relation(s) below confidence ${request.confidence}, not counted`]
      : []),
    ...contradictions.map((row) => `${phrase(row)} contradicts it: ${describeConflict(row.kind)}`),
    ...(texts.source_mentions_from === false ? [`source_text does not mention ${from[0]?.name ?? request.from}`] : []),
    ...(texts.target_mentions_to === false ? [`target_text does not mention ${to[0]?.name ?? request.to}`] : []),
  ];
  return {
    verdict: verdictOf(counted.length > 0, contradictions.length > 0),
    relation_type: type,
    from: from[0] ?? null,
    to: to[0] ?? null,
    confidence_threshold: request.confidence,
    support,
    supporting: matching.map((row) => ({ ...row, counted: row.confidence >= request.confidence })),
    contradictions,
    texts,
    reasons,
  };
}

export interface ConflictRequest {
  entityA: string;
  entityB: string;
  textA: string;
  textB: string;
}

type Conflict =
  { source: 'graph'; kind: ConflictKind; reason: string; relations: [number, number] } | ({ source: 'texts' } & TextConflict);

/** Pairs of relations between the two entities that contradict each other. */
function graphConflicts(rows: RelationRow[]): Conflict[] {
  const found: Conflict[] = [];
  rows.forEach((row, index) => {
    for (const other of rows.slice(index + 1)) {
      const kind = conflictKind(edgeOf(row), edgeOf(other));
      if (kind)
        found.push({
          source: 'graph',
          kind,
          reason: `the graph holds ${phrase(row)} and ${phrase(other)}: ${describeConflict(kind)}`,
          relations: [row.id, other.id],
        });
    }
  });
  return found;
}

/**
 * Whether two statements about two entities conflict: the graph holds contradicting relations
 * between them (relation-rules.ts), or the texts, both about one of the entities, contradict each
 * other (text-conflicts.ts). Every relation between the two is returned as evidence.
 */
export function checkConflict(db: DB, project: string, request: ConflictRequest, scope: ReadScopeFilter) {
  const a = findEntities(db, project, request.entityA, scope);
  const b = findEntities(db, project, request.entityB, scope);
  const evidence = relationsBetween(db, project, idsOf(a), idsOf(b), scope);
  const [namesA, namesB] = [namesOf(request.entityA, a), namesOf(request.entityB, b)];
  const about = (text: string) => ({
    entity_a: namesA.some((name) => mentionsName(text, name)),
    entity_b: namesB.some((name) => mentionsName(text, name)),
  });
  const texts = { text_a: about(request.textA), text_b: about(request.textB) };
  const sharedSubject = (texts.text_a.entity_a && texts.text_b.entity_a) || (texts.text_a.entity_b && texts.text_b.entity_b);
  const fromTexts: Conflict[] = sharedSubject
    ? textConflicts(request.textA, request.textB, [...namesA, ...namesB]).map((conflict) => ({ source: 'texts', ...conflict }))
    : [];
  const conflicts = [...graphConflicts(evidence), ...fromTexts];
  const reasons = [
    ...conflicts.map((conflict) => conflict.reason),
    ...unknownReasons(
      [
        [request.entityA, a],
        [request.entityB, b],
      ],
      ': the graph was not consulted for it',
    ),
    ...(sharedSubject ? [] : ['the two texts do not both mention entity_a or both mention entity_b, so they were not compared']),
    ...(conflicts.length === 0
      ? ['no conflicting relations between the two entities and no contradiction between the texts']
      : []),
  ];
  return {
    verdict: conflicts.length > 0 ? ('conflict' as const) : ('no_conflict' as const),
    entity_a: a[0] ?? null,
    entity_b: b[0] ?? null,
    conflicts,
    evidence,
    texts,
    reasons,
  };
}
