import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** A cell as PostgreSQL returns it: numbers as exact decimal strings, booleans, text; null for empty. */
export type RowCell = string | boolean | null;

/** Rows fetched per round trip: big enough to keep the connection busy, small enough to hold. */
const FETCH_SIZE = 1000;

/**
 * Streams the rows of `select` (as arrays, in its column order) to `consume`, `FETCH_SIZE` at a time,
 * through a server-side cursor in a read-only snapshot: memory stays flat whatever the size, and
 * PostgreSQL computes a page ahead of `consume` and no further, so a client that reads
 * slowly holds a cursor, not a core (a COPY wrote on into the sockets' buffers, about 10 MB and a
 * second and a half of a core ahead of a reader that had stopped). Times are formatted by PostgreSQL
 * in `zone` (SET LOCAL TimeZone). `select` takes no bind parameters (DECLARE cannot): callers quote
 * their values with `sqlLiteral`. Returns how many rows.
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
  const fetchPage = () => {
    const page = inTurn(dataSource, () =>
      client.query<RowCell[]>({ text: `FETCH ${FETCH_SIZE} FROM export_rows`, rowMode: 'array' }),
    );
    // Awaited below, or left when `consume` failed (the ROLLBACK waits for it in the client's queue).
    page.catch(() => undefined);
    return page;
  };
  let total = 0;
  try {
    await runner.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    await runner.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
    await runner.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${select}`);
    let next = fetchPage();
    for (;;) {
      const { rows } = await next;
      total += rows.length;
      const more = rows.length === FETCH_SIZE;
      // PostgreSQL computes the next page while this one is passed on: one page ahead, never more.
      if (more) next = fetchPage();
      if (rows.length > 0) await consume(rows);
      if (!more) break;
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
 * The FETCHes of one data source, run one after another in the order asked: however many exports
 * run, together they keep at most one PostgreSQL backend busy, and the other cores are the webhooks'.
 */
const turns = new WeakMap<DataSource, Promise<unknown>>();

function inTurn<T>(dataSource: DataSource, fetch: () => Promise<T>): Promise<T> {
  const mine = (turns.get(dataSource) ?? Promise.resolve()).then(fetch);
  turns.set(
    dataSource,
    mine.catch(() => undefined),
  );
  return mine;
}

/** A SQL string literal, for the values of a cursor's query: our own config and ISO dates. */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
