import type { EntityManager } from 'typeorm';
import { ColumnMap, ImportRow } from './import-row';
import type { OrderRowStore, OrderRowStores } from './order-file-reader';

const STAGE_BATCH_ROWS = 1000;
const FETCH_ROWS = 2000;

/**
 * The rows of large exports by order in a temporary table of the files' own transaction (dropped with
 * it, committed or not), so that memory holds one batch of rows, never a file: rows go in 1,000 at a
 * time (one batch in flight while the next is read), and come back sorted by order through a cursor.
 * Several files can share it (an Etsy Sold Orders file and its Sold Order Items file): each order then
 * comes back with the rows of each file.
 */
export class StagedRowStore implements OrderRowStores {
  private batch: Array<{ file: number; key: string; row: ImportRow }> = [];
  private inFlight: Promise<void> = Promise.resolve();
  private readonly files: StagedFile[] = [];

  private constructor(private readonly manager: EntityManager) {}

  static async create(manager: EntityManager): Promise<StagedRowStore> {
    await manager.query(
      `CREATE TEMP TABLE import_rows (file smallint NOT NULL, key text NOT NULL, line int NOT NULL, cells json NOT NULL) ON COMMIT DROP`,
    );
    return new StagedRowStore(manager);
  }

  file(index: number): OrderRowStore {
    while (this.files.length <= index) this.files.push(new StagedFile(this, this.files.length));
    return this.files[index]!;
  }

  async stage(file: number, key: string, row: ImportRow): Promise<void> {
    this.batch.push({ file, key, row });
    if (this.batch.length < STAGE_BATCH_ROWS) return;
    await this.inFlight;
    this.inFlight = this.insert(this.batch);
    // Handled here so that a failure is not "unhandled" while reading goes on; awaited by the next batch.
    this.inFlight.catch(() => undefined);
    this.batch = [];
  }

  async *groups(columns: ColumnMap[]): AsyncIterable<ImportRow[][]> {
    await this.inFlight;
    await this.insert(this.batch);
    this.batch = [];
    for (const file of this.files) file.orders = 0;
    await this.manager.query(
      `DECLARE import_groups NO SCROLL CURSOR FOR
         SELECT file, key, line, cells FROM import_rows ORDER BY key COLLATE "C", file, line`,
    );
    const empty = () => columns.map((): ImportRow[] => []);
    try {
      let group = empty();
      let key: string | null = null;
      for (;;) {
        const rows = (await this.manager.query(`FETCH ${FETCH_ROWS} FROM import_groups`)) as Array<{
          file: number;
          key: string;
          line: number;
          cells: string[];
        }>;
        for (const row of rows) {
          if (row.key !== key && key !== null) {
            yield this.counted(group);
            group = empty();
          }
          key = row.key;
          group[row.file]!.push(new ImportRow(row.line, row.cells, columns[row.file]!));
        }
        if (rows.length < FETCH_ROWS) break;
      }
      if (key !== null) yield this.counted(group);
    } finally {
      await this.manager.query(`CLOSE import_groups`);
    }
  }

  private counted(group: ImportRow[][]): ImportRow[][] {
    group.forEach((rows, file) => {
      if (rows.length) this.files[file]!.orders++;
    });
    return group;
  }

  private async insert(rows: Array<{ file: number; key: string; row: ImportRow }>): Promise<void> {
    if (!rows.length) return;
    await this.manager.query(
      `INSERT INTO import_rows (file, key, line, cells)
       SELECT * FROM unnest($1::smallint[], $2::text[], $3::int[], $4::json[])`,
      [
        rows.map((r) => r.file),
        rows.map((r) => r.key),
        rows.map((r) => r.row.line),
        rows.map((r) => JSON.stringify(r.row.cells)),
      ],
    );
  }
}

/** One file's side of the staging table. */
class StagedFile implements OrderRowStore {
  /** Known once `groups` ran through the file's orders. */
  orders = 0;

  constructor(
    private readonly store: StagedRowStore,
    private readonly index: number,
  ) {}

  add(key: string, row: ImportRow): Promise<void> {
    return this.store.stage(this.index, key, row);
  }
}
