import type { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { poolOf } from './prepared-query';

/** A cell as PostgreSQL returns it: numbers as exact decimal strings, booleans, text; null for empty. */
export type RowCell = string | boolean | null;

/** Rows fetched per round trip: big enough to keep the connection busy, small enough to hold. */
const FETCH_SIZE = 1000;

/**
 * Streams the rows of `select` (as arrays, in its column order) to `consume`, `FETCH_SIZE` at a time,
 * through a server-side cursor in a read-only snapshot: memory stays flat whatever the size. Times are
 * formatted by PostgreSQL in `zone` (SET LOCAL TimeZone). `select` takes no bind parameters (DECLARE
 * cannot): callers quote their values with `sqlLiteral`. Returns how many rows.
 */
export async function streamRows(
  dataSource: DataSource,
  zone: string,
  select: string,
  consume: (rows: RowCell[][]) => Promise<void>,
): Promise<number> {
  const runner = dataSource.createQueryRunner();
  // The driver's own client: rows as arrays (rowMode) cost a fraction of TypeORM's row objects.
  const client = (await runner.connect()) as PoolClient;
  let total = 0;
  try {
    await runner.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    await runner.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
    await runner.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${select}`);
    for (;;) {
      const { rows } = await client.query<RowCell[]>({
        text: `FETCH ${FETCH_SIZE} FROM export_rows`,
        rowMode: 'array',
      });
      if (rows.length === 0) break;
      total += rows.length;
      await consume(rows);
      if (rows.length < FETCH_SIZE) break;
    }
    await runner.query(`COMMIT`);
    return total;
  } catch (error) {
    await runner.query(`ROLLBACK`).catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * The rows of `select` as PostgreSQL's own CSV text (`COPY … TO STDOUT`, LF line ends), handed to
 * `consume` as one byte stream with backpressure: no row becomes a JavaScript object, so that memory
 * holds the bytes on their way and nothing else (rows as objects made garbage enough for the collector
 * to let the heap grow by 180 MB during a 1,000,000-order export). Same snapshot and zone as
 * `streamRows`. When `consume` fails (the client went away mid-download), the connection is closed
 * instead of returned to its pool in the middle of a COPY.
 */
export async function copyRows(
  dataSource: DataSource,
  zone: string,
  select: string,
  consume: (csv: Readable) => Promise<void>,
): Promise<void> {
  // The pool's own client: only it can be released as broken (TypeORM's runner cannot).
  const client = await poolOf(dataSource).connect();
  let broken: Error | undefined;
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    await client.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
    await consume(client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv)`)));
    await client.query(`COMMIT`);
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** A SQL string literal, for the values of a cursor's query: our own config and ISO dates. */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
