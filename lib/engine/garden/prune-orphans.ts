import type { DB } from '../../store/open-writer';
import { currentRelation } from '../../store/relation-validity';

/**
 * Deletes the project's entities that nothing mentions and no relation touches (their aliases go with
 * them, and so do their closed relations). The existence checks look at every row, not only this
 * project's: an entity that anything still refers to is not an orphan; a relation that no longer
 * holds refers to nothing now.
 */
export function pruneOrphans(db: DB, project: string): number {
  return db
    .prepare(
      `DELETE FROM entities WHERE project = ?
         AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = entities.id)
         AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.from_id = entities.id AND ${currentRelation('r')})
         AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.to_id = entities.id AND ${currentRelation('r')})`,
    )
    .run(project).changes;
}
