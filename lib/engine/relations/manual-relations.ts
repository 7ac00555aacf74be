import { normaliseName, scopedEntityId } from '../../store/ids';
import type { DB } from '../../store/open-writer';
import { scopeParams, visibleTo, type MemoryScope, type ReadScopeFilter } from '../../store/scope';
import { isoTimestamp } from '../../store/time';
import { UserError } from '../errors';
import { findEntities } from '../graph-read';
import { relationTypeForKey } from '../ingest/prepare';
import type { EntitySummary } from '../search/search';
import { relationById, type RelationRecord } from './relation-read';

export const MANUAL_ORIGIN = 'create_relation';

export interface NewRelation {
  from: string;
  to: string;
  /** Stored upper case, as the extractor writes types (works on -> WORKS_ON). */
  type: string;
  confidence: number;
  /** Both ends must exist in the caller's view; false: missing ends are created (type concept). */
  verify: boolean;
  validFrom: Date | null;
  validTo: Date | null;
}

export interface RelationKey {
  from: string;
  to: string;
  type: string;
}

/** Who writes: the scope the relation goes to and what the caller may see. */
export interface RelationWriter {
  write: MemoryScope;
  read: ReadScopeFilter;
  sessionId: string | null;
}

interface OpenRow {
  id: number;
  origin_tool: string;
  user_id: string | null;
  memory_id: string | null;
  sources: number;
}

/** CO_OCCURS is undirected and stored with the smaller id first, as ingest does. */
function orderedEnds(type: string, from: string, to: string): [string, string] {
  return type === 'CO_OCCURS' && to < from ? [to, from] : [from, to];
}

/**
 * Relations an agent states or withdraws itself (create_relation, delete_relation). A manual
 * relation is in the caller's scope (a user's is private to them, like their memories), records
 * its origin and session, and is never closed by an ingest: only delete_relation ends it.
 */
export class ManualRelations {
  private readonly stmt;

  constructor(
    private readonly db: DB,
    private readonly project: string,
  ) {
    this.stmt = {
      insertEntity: db.prepare(`INSERT INTO entities (id, project, name, norm, type, created_at, updated_at, user_id, memory_id)
        VALUES (@id, @project, @name, @norm, 'concept', @now, @now, @userId, @memoryId) ON CONFLICT(id) DO NOTHING`),
      openRows: db.prepare<Record<string, string | null>, OpenRow>(
        `SELECT r.id, r.origin_tool, r.user_id, r.memory_id,
           (SELECT COUNT(*) FROM relation_sources s WHERE s.relation_id = r.id) AS sources
         FROM relations r WHERE r.project = @project AND r.from_id = @from AND r.to_id = @to AND r.type = @type
           AND r.valid_until IS NULL AND ${visibleTo('r')} ORDER BY r.user_id IS NULL, r.id`,
      ),
      insert: db.prepare(`INSERT INTO relations (project, from_id, to_id, type, weight, confidence, origin_tool, session_id,
          created_at, last_seen_at, qualifiers, user_id, memory_id, valid_from, valid_until)
        VALUES (@project, @from, @to, @type, 1.0, @confidence, '${MANUAL_ORIGIN}', @sessionId, @now, @now, @qualifiers,
          @userId, @memoryId, @validFrom, @validUntil)`),
      // Stating an open relation again: it becomes manual (an ingest will not close it), with the new confidence.
      restate: db.prepare(`UPDATE relations SET confidence = @confidence, origin_tool = '${MANUAL_ORIGIN}',
          session_id = @sessionId, last_seen_at = @now, valid_from = MIN(valid_from, @validFrom) WHERE id = @id`),
      close: db.prepare('UPDATE relations SET valid_until = @now WHERE id = @id AND valid_until IS NULL'),
      sourcePaths: db.prepare<[number], { path: string }>(
        'SELECT d.path FROM relation_sources s JOIN documents d ON d.id = s.doc_id WHERE s.relation_id = ? ORDER BY d.path LIMIT 5',
      ),
    };
  }

  /** States a relation; returns it, whether it is new, and the entities made for it (verify: false). */
  create(request: NewRelation, writer: RelationWriter, now: Date) {
    const input = { ...request, type: relationTypeForKey(request.type) };
    const nowText = isoTimestamp(now);
    const { validFrom, validUntil } = this.period(input, now);
    return this.db
      .transaction(() => {
        const createdEntities: EntitySummary[] = [];
        const end = (ref: string, argument: string): EntitySummary => {
          const found = this.resolve(ref, argument, writer.read, input.verify);
          if (found) return found;
          const made = this.makeEntity(ref, writer.write, nowText);
          createdEntities.push(made);
          return made;
        };
        const fromEntity = end(input.from, 'from_entity');
        const toEntity = end(input.to, 'to_entity');
        if (fromEntity.id === toEntity.id)
          throw new UserError(`from_entity and to_entity are the same entity (${fromEntity.name}): a relation joins two.`, 2);
        const [from, to] = orderedEnds(input.type, fromEntity.id, toEntity.id);
        const base = { confidence: input.confidence, sessionId: writer.sessionId, now: nowText, validFrom };
        const existing = validUntil === null ? this.ownOpenRow({ from, to, type: input.type }, writer) : undefined;
        let id: number;
        if (existing) {
          this.stmt.restate.run({ ...base, id: existing.id });
          id = existing.id;
        } else {
          const qualifiers = JSON.stringify({ valid_from: validFrom, valid_to: validUntil, verified_ends: input.verify });
          const row = { ...base, project: this.project, from, to, type: input.type, qualifiers, validUntil };
          id = Number(
            this.stmt.insert.run({ ...row, userId: writer.write.userId, memoryId: writer.write.memoryId }).lastInsertRowid,
          );
        }
        return { created: !existing, relation: relationById(this.db, id) as RelationRecord, created_entities: createdEntities };
      })
      .immediate();
  }

  /**
   * Withdraws a manual relation: its open period ends now (history keeps it). A relation the notes
   * state is refused (the next ingest would bring it back), as is one that is not the caller's.
   */
  delete(request: RelationKey, writer: RelationWriter, now: Date): RelationRecord {
    const key = { ...request, type: relationTypeForKey(request.type) };
    return this.db
      .transaction(() => {
        const fromEntity = this.resolve(key.from, 'from_entity', writer.read, true) as EntitySummary;
        const toEntity = this.resolve(key.to, 'to_entity', writer.read, true) as EntitySummary;
        const [from, to] = orderedEnds(key.type, fromEntity.id, toEntity.id);
        const described = `${fromEntity.name} -[${key.type}]-> ${toEntity.name}`;
        const visible = this.stmt.openRows.all({ project: this.project, from, to, type: key.type, ...scopeParams(writer.read) });
        const own = visible.find((row) => row.user_id === writer.write.userId);
        if (!own) {
          if (visible.length > 0)
            throw new UserError(
              `${described} is in the shared graph, not this user's memory: only a call without a user can delete it.`,
            );
          throw new UserError(`No relation ${described} holds now in project ${this.project} (see query_entity_relations).`);
        }
        if (own.sources > 0) {
          const paths = this.stmt.sourcePaths.all(own.id).map((row) => row.path);
          throw new UserError(
            `${described} comes from notes (${paths.join(', ')}): deleting it would not last, the next ingest brings it back. ` +
              'Edit the note to remove it.',
          );
        }
        this.stmt.close.run({ id: own.id, now: isoTimestamp(now) });
        return relationById(this.db, own.id) as RelationRecord;
      })
      .immediate();
  }

  private ownOpenRow(key: RelationKey, writer: RelationWriter): OpenRow | undefined {
    const rows = this.stmt.openRows.all({ project: this.project, ...key, ...scopeParams(writer.read) });
    return rows.find((row) => row.user_id === writer.write.userId && row.memory_id === writer.write.memoryId);
  }

  /** The entity a reference means for the caller; missing: an error naming the argument, or null to create it. */
  private resolve(ref: string, argument: string, scope: ReadScopeFilter, verify: boolean): EntitySummary | null {
    const [found] = findEntities(this.db, this.project, ref, scope);
    if (found) return found;
    if (!verify) return null;
    throw new UserError(
      `${argument} "${ref}" is not an entity in project ${this.project} that this caller can see. ` +
        'Check the name (list_entities_tool), or call with verify: false to create it.',
      2,
    );
  }

  private makeEntity(name: string, scope: MemoryScope, now: string): EntitySummary {
    if (normaliseName(name).length === 0)
      throw new UserError(`"${name}" is not a name an entity can have (no letters or digits).`, 2);
    const id = scopedEntityId(this.project, scope, name);
    this.stmt.insertEntity.run({
      id,
      project: this.project,
      name,
      norm: normaliseName(name),
      now,
      userId: scope.userId,
      memoryId: scope.memoryId,
    });
    return { id, name, type: 'concept' };
  }

  /** The validity period asked for, as stored times: never ahead of now, and ending after it starts. */
  private period(input: NewRelation, now: Date): { validFrom: string; validUntil: string | null } {
    const from = input.validFrom ?? now;
    if (from.getTime() > now.getTime())
      throw new UserError('valid_from is in the future: a relation is recorded from when it holds, not ahead of time.', 2);
    if (input.validTo && input.validTo.getTime() > now.getTime())
      throw new UserError('valid_to is in the future: record the relation now and delete_relation it when it ends.', 2);
    if (input.validTo && input.validTo.getTime() <= from.getTime()) throw new UserError('valid_to must be after valid_from.', 2);
    return { validFrom: isoTimestamp(from), validUntil: input.validTo ? isoTimestamp(input.validTo) : null };
  }
}
