import type { DB } from '../store/open-writer';
import type { ReadScopeFilter } from '../store/scope';
import { neighbours } from '../store/sql/neighbours';
import { UserError } from './errors';
import { findEntities } from './graph-read';
import type { EntitySummary } from './search/search';

/** How far a walk may go: rings, the strongest relations read per entity, and entities reached in all. */
export interface WalkBounds {
  maxHops: number;
  perEntity: number;
  maxReached: number;
}

/** An entity a walk reached: its distance and the relation it was reached over (none for a start). */
export interface WalkStep extends EntitySummary {
  hops: number;
  /** The entity one step closer to the start (null for a start). */
  via: string | null;
  relation: { type: string; direction: 'out' | 'in' } | null;
}

export interface Walk {
  /** Every entity reached, the starts included, in the order reached. */
  reached: Map<string, WalkStep>;
  /** A bound cut the walk short: some entity had more relations than were read, or the cap was hit. */
  truncated: boolean;
}

/**
 * A breadth-first walk over relations in both directions, as the reader may see them, from the
 * start entities; it stops at `stopAt` once one is reached. Bounded so that a hub cannot blow it
 * up: each entity contributes its `perEntity` strongest relations, and the walk ends once
 * `maxReached` entities are known.
 */
export function walkGraph(
  db: DB,
  project: string,
  starts: readonly EntitySummary[],
  scope: ReadScopeFilter,
  bounds: WalkBounds,
  stopAt: ReadonlySet<string> = new Set(),
): Walk {
  const reached = new Map<string, WalkStep>(starts.map((start) => [start.id, { ...start, hops: 0, via: null, relation: null }]));
  let truncated = false;
  let frontier = [...reached.keys()];
  for (let hop = 1; hop <= bounds.maxHops && frontier.length > 0; hop += 1) {
    const next: string[] = [];
    for (const from of frontier) {
      const ring = neighbours(db, project, from, bounds.perEntity, scope);
      if (ring.total > ring.rows.length) truncated = true;
      for (const row of ring.rows) {
        if (reached.has(row.id)) continue;
        if (reached.size >= bounds.maxReached) return { reached, truncated: true };
        const { id, name, type } = row;
        reached.set(id, { id, name, type, hops: hop, via: from, relation: { type: row.relation, direction: row.direction } });
        if (stopAt.has(id)) return { reached, truncated };
        next.push(id);
      }
    }
    frontier = next;
  }
  return { reached, truncated };
}

/** The visible entities a reference (id, name or alias) means; unknown ones refused by name. */
export function resolveEntities(db: DB, project: string, refs: readonly string[], scope: ReadScopeFilter): EntitySummary[] {
  const found = new Map<string, EntitySummary>();
  const unknown: string[] = [];
  for (const ref of refs) {
    const matches = findEntities(db, project, ref, scope);
    if (matches.length === 0) unknown.push(ref);
    for (const match of matches) found.set(match.id, match);
  }
  if (unknown.length > 0)
    throw new UserError(
      `No entity ${unknown.map((ref) => JSON.stringify(ref)).join(', ')} in project ${project} (looked up by id, name and alias); nothing was read.`,
    );
  return [...found.values()];
}

/** One step of a path: the relation as stored (its own from and to), and whether it runs along the path. */
export interface PathRelation {
  type: string;
  from_id: string;
  from_name: string;
  to_id: string;
  to_name: string;
  direction: 'forward' | 'backward';
}

export interface PathResult {
  found: boolean;
  from: EntitySummary;
  to: EntitySummary;
  /** The entities from start to end (empty when there is no path). */
  path: EntitySummary[];
  relations: PathRelation[];
  /** Relations on the path; null when there is none within the bounds. */
  length: number | null;
  max_hops: number;
  /** The walk hit a bound, so "no path" means none among the relations it read. */
  truncated: boolean;
}

export const PATH_BOUNDS: WalkBounds = { maxHops: 6, perEntity: 50, maxReached: 5000 };

function relationOf(step: WalkStep, previous: EntitySummary): PathRelation {
  const type = step.relation?.type ?? '';
  // The neighbour row's direction is seen from the entity the walk came from (`out`: previous → step).
  const forward = step.relation?.direction === 'out';
  const [from, to] = forward ? [previous, step] : [step, previous];
  return {
    type,
    from_id: from.id,
    from_name: from.name,
    to_id: to.id,
    to_name: to.name,
    direction: forward ? 'forward' : 'backward',
  };
}

/**
 * The shortest path between two entities over the relations the reader may see, in either
 * direction, with each relation's type and which way it runs. Every entity a reference means is a
 * start (or an end), so a name shared by the common graph and the user's memory joins both.
 */
export function tracePath(db: DB, project: string, fromRef: string, toRef: string, scope: ReadScopeFilter): PathResult {
  const starts = resolveEntities(db, project, [fromRef], scope);
  const ends = resolveEntities(db, project, [toRef], scope);
  const [from, to] = [starts[0] as EntitySummary, ends[0] as EntitySummary];
  const endIds = new Set(ends.map((end) => end.id));
  const walk = walkGraph(db, project, starts, scope, PATH_BOUNDS, endIds);
  const end = [...endIds].map((id) => walk.reached.get(id)).find((step) => step !== undefined);
  const base = { from, to, max_hops: PATH_BOUNDS.maxHops, truncated: walk.truncated };
  if (!end) return { ...base, found: false, path: [], relations: [], length: null };
  const steps: WalkStep[] = [];
  for (let step: WalkStep | undefined = end; step; step = step.via ? walk.reached.get(step.via) : undefined) steps.unshift(step);
  const path = steps.map(({ id, name, type }) => ({ id, name, type }));
  const relations = steps.slice(1).map((step, index) => relationOf(step, steps[index] as WalkStep));
  // The ends the path joins, when a reference meant more than one entity.
  const [first, last] = [path[0] ?? from, path[path.length - 1] ?? to];
  return { ...base, from: first, to: last, found: true, path, relations, length: relations.length };
}
