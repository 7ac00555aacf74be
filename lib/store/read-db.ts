/**
 * What a reader may do with a connection: prepare statements and read their rows. No `run`, no
 * `exec`, no `pragma`, no transactions, so a read model cannot write even by mistake (the
 * connection is opened read-only as well). The writer's `DB` satisfies it, so SQL both processes
 * share is written once against this type.
 */
export interface ReadStatement<Params extends unknown[], Row> {
  get(...params: Params): Row | undefined;
  all(...params: Params): Row[];
  iterate(...params: Params): IterableIterator<Row>;
}

export interface ReadDB {
  prepare<Params extends unknown[] | object = unknown[], Row = unknown>(
    sql: string,
  ): Params extends unknown[] ? ReadStatement<Params, Row> : ReadStatement<[Params], Row>;
}
