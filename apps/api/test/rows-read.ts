import { EntityManager } from 'typeorm';

/**
 * Rows these tables and indexes returned so far in the manager's transaction (sequential-scan rows plus
 * index entries and heap rows fetched; PostgreSQL's per-transaction statistics): a count of the work a
 * statement did that does not depend on the machine's speed.
 */
export async function rowsReadInTransaction(manager: EntityManager, relations: readonly string[]): Promise<number> {
  const [{ rows }] = (await manager.query(
    `SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(rel::regclass) + pg_stat_get_xact_tuples_fetched(rel::regclass)), 0)::int AS rows
     FROM unnest($1::text[]) AS rel`,
    [relations],
  )) as Array<{ rows: number }>;
  return rows;
}
