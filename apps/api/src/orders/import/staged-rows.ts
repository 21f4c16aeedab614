import type { EntityManager } from 'typeorm';
import { ColumnMap, ImportRow } from './import-row';
import type { OrderRowStore } from './order-file-reader';

const STAGE_BATCH_ROWS = 1000;
const FETCH_ROWS = 2000;

/**
 * The rows of a large export by order in a temporary table of the file's own transaction (dropped with
 * it, committed or not), so that memory holds one batch of rows, never the file: rows go in 1,000 at a
 * time (one batch in flight while the next is read), and come back sorted by order through a cursor.
 */
export class StagedRowStore implements OrderRowStore {
  private batch: Array<{ key: string; row: ImportRow }> = [];
  private inFlight: Promise<void> = Promise.resolve();
  private count = 0;
  private lastKey: string | null = null;
  private sorted = true;

  private constructor(private readonly manager: EntityManager) {}

  static async create(manager: EntityManager): Promise<StagedRowStore> {
    await manager.query(
      `CREATE TEMP TABLE import_rows (key text NOT NULL, line int NOT NULL, cells json NOT NULL) ON COMMIT DROP`,
    );
    return new StagedRowStore(manager);
  }

  /** Orders seen so far, counted exactly only while the file's rows come grouped; else once `groups` ran. */
  get orders(): number {
    return this.count;
  }

  async add(key: string, row: ImportRow): Promise<void> {
    if (key !== this.lastKey) {
      if (this.lastKey !== null) this.sorted = false;
      this.lastKey = key;
      this.count++;
    }
    this.batch.push({ key, row });
    if (this.batch.length < STAGE_BATCH_ROWS) return;
    await this.inFlight;
    this.inFlight = this.insert(this.batch);
    // Handled here so that a failure is not "unhandled" while reading goes on; awaited by the next batch.
    this.inFlight.catch(() => undefined);
    this.batch = [];
  }

  async *groups(columns: ColumnMap): AsyncIterable<ImportRow[]> {
    await this.inFlight;
    await this.insert(this.batch);
    this.batch = [];
    if (!this.sorted) {
      const [{ n }] = (await this.manager.query(`SELECT count(DISTINCT key)::int AS n FROM import_rows`)) as [
        { n: number },
      ];
      this.count = n;
    }
    await this.manager.query(
      `DECLARE import_groups NO SCROLL CURSOR FOR SELECT key, line, cells FROM import_rows ORDER BY key COLLATE "C", line`,
    );
    try {
      let group: ImportRow[] = [];
      let key: string | null = null;
      for (;;) {
        const rows = (await this.manager.query(`FETCH ${FETCH_ROWS} FROM import_groups`)) as Array<{
          key: string;
          line: number;
          cells: string[];
        }>;
        for (const row of rows) {
          if (row.key !== key && group.length) {
            yield group;
            group = [];
          }
          key = row.key;
          group.push(new ImportRow(row.line, row.cells, columns));
        }
        if (rows.length < FETCH_ROWS) break;
      }
      if (group.length) yield group;
    } finally {
      await this.manager.query(`CLOSE import_groups`);
    }
  }

  private async insert(rows: Array<{ key: string; row: ImportRow }>): Promise<void> {
    if (!rows.length) return;
    await this.manager.query(
      `INSERT INTO import_rows (key, line, cells) SELECT * FROM unnest($1::text[], $2::int[], $3::json[])`,
      [rows.map((r) => r.key), rows.map((r) => r.row.line), rows.map((r) => JSON.stringify(r.row.cells))],
    );
  }
}
