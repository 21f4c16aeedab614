import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs `sql` as a named prepared statement on the data source's pool, named by a hash of its text (so
 * one name never means two texts). Each connection parses it once and, after its first executions,
 * PostgreSQL keeps a generic plan when that costs no more than planning again: a read that answers a
 * request in a few milliseconds then skips the one or two it spent planning. For statements whose text
 * has few variants (the values as parameters), and outside transactions. On the `reads` pool
 * (GENERIC_PLAN_READS) the generic plan is always taken: there PostgreSQL kept judging custom plans cheaper.
 */
export async function preparedQuery<T>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const pool = poolOf(dataSource);
  const name = `p_${createHash('sha1').update(sql).digest('hex').slice(0, 32)}`;
  const result = await pool.query<T & object>({ name, text: sql, values: params });
  return result.rows;
}

/** The `pg` pool under a TypeORM data source: its own clients, which a caller can release as broken. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}
