/**
 * Which relation rows hold when (graph.db version 5: one row per validity period). Periods are
 * never recorded ahead of time (create_relation refuses a future valid_from or valid_to), so the
 * rows that hold now are exactly the open ones.
 */

/** The SQL condition that the relation row of table alias `alias` holds now. */
export function currentRelation(alias: string): string {
  return `${alias}.valid_until IS NULL`;
}

/**
 * The SQL condition that the relation row of `alias` held at the instant in the named parameter
 * @asOf (an isoTimestamp: same shape as the stored times, so they compare as strings).
 */
export function relationValidAt(alias: string): string {
  return `(${alias}.valid_from <= @asOf AND (${alias}.valid_until IS NULL OR @asOf < ${alias}.valid_until))`;
}

/** Current rows, or those valid at `asOf` when one is given, with the parameter that needs. */
export function relationPeriod(alias: string, asOf: string | null): { sql: string; params: { asOf?: string } } {
  return asOf === null ? { sql: currentRelation(alias), params: {} } : { sql: relationValidAt(alias), params: { asOf } };
}
