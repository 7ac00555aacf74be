import { relationTypeForKey } from './ingest/prepare';

/**
 * When two typed relations between the same two entities contradict each other. The rule is
 * fixed and small, so a verdict can say exactly why:
 *
 * - negated: the same direction, one type the other's negation (`NOT_OWNS` or `NO_LONGER_OWNS` against `OWNS`);
 * - opposite: the same direction, types that are declared opposites (`OPPOSITE_TYPES`, e.g. `SUPPORTS` / `OPPOSES`);
 * - reversed: the same type, the other direction, when the type is one-way: every type except
 *   those that can hold both ways at once (`TWO_WAY_TYPES`: co-occurrence, links, "related",
 *   "works with"...). `A REPORTS_TO B` and `B REPORTS_TO A` cannot both hold; two notes may link to each other.
 */
export type ConflictKind = 'negated' | 'opposite' | 'reversed';

export const TWO_WAY_TYPES: ReadonlySet<string> = new Set([
  'CO_OCCURS',
  'LINKS_TO',
  'RELATED',
  'RELATED_TO',
  'SIMILAR_TO',
  'WORKS_WITH',
  'KNOWS',
  'COLLABORATES_WITH',
  'CONNECTED_TO',
  'MENTIONS',
  'SEE_ALSO',
]);

export const OPPOSITE_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['SUPPORTS', 'OPPOSES'],
  ['SUPPORTS', 'CONTRADICTS'],
  ['ALLOWS', 'BLOCKS'],
  ['ENABLES', 'DISABLES'],
  ['INCLUDES', 'EXCLUDES'],
  ['ACCEPTS', 'REJECTS'],
  ['APPROVES', 'REJECTS'],
  ['TRUSTS', 'DISTRUSTS'],
];

const NEGATION_PREFIXES = ['NOT_', 'NO_LONGER_', 'NEVER_'];

/** A relation type as the graph stores it: `owned by` and `owned-by` are `OWNED_BY` (as front-matter keys are). */
export function normaliseRelationType(type: string): string {
  return relationTypeForKey(type);
}

/** A type without its negation, and whether it had one. */
function baseOf(type: string): { base: string; negated: boolean } {
  const prefix = NEGATION_PREFIXES.find((candidate) => type.startsWith(candidate) && type.length > candidate.length);
  return prefix ? { base: type.slice(prefix.length), negated: true } : { base: type, negated: false };
}

function opposite(a: string, b: string): boolean {
  return OPPOSITE_TYPES.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/** Whether `a` is the same relation as `b`, for support: the same type and direction, or co-occurrence either way. */
export function sameRelation(a: TypedEdge, b: TypedEdge): boolean {
  if (a.type !== b.type) return false;
  if (a.from === b.from && a.to === b.to) return true;
  // Co-occurrence is stored once per pair, its ends in name order: either order is the same fact.
  return a.type === 'CO_OCCURS' && a.from === b.to && a.to === b.from;
}

export interface TypedEdge {
  from: string;
  to: string;
  type: string;
}

/** How `other` contradicts `claim` (both between the same two entities), or null when it does not. */
export function conflictKind(claim: TypedEdge, other: TypedEdge): ConflictKind | null {
  const a = baseOf(claim.type);
  const b = baseOf(other.type);
  if (claim.from === other.from && claim.to === other.to) {
    if (a.base === b.base && a.negated !== b.negated) return 'negated';
    if (!a.negated && !b.negated && opposite(a.base, b.base)) return 'opposite';
    return null;
  }
  const reversed = claim.from === other.to && claim.to === other.from;
  if (reversed && claim.type === other.type && !a.negated && !TWO_WAY_TYPES.has(claim.type)) return 'reversed';
  return null;
}

export function describeConflict(kind: ConflictKind): string {
  if (kind === 'negated') return 'one relation is the negation of the other, in the same direction';
  if (kind === 'opposite') return 'the two types are declared opposites, in the same direction';
  return 'the same one-way type holds in the other direction';
}
