import type { EntityManager } from 'typeorm';
import { CopyIn, copyText } from '../../database/copy-in';
import { ColumnMap, ImportRow } from './import-row';
import type { OrderRowStore, OrderRowStores } from './order-file-reader';

/** COPY text gathered before it is handed to the stream. */
const STAGE_BATCH_CHARS = 64 * 1024;
/** Rows fetched at a time (about 200 orders of an export): a fetch's rows live until their orders are built. */
const FETCH_ROWS = 400;

/**
 * The rows of large exports by order in a temporary table of the files' own transaction (dropped with
 * it, committed or not), so that memory holds a few rows, never a file: rows go in through one COPY as
 * they are read, and come back sorted by order through a cursor. Several files can share it (an Etsy
 * Sold Orders file and its Sold Order Items file): each order then comes back with the rows of each file.
 */
export class StagedRowStore implements OrderRowStores {
  private text = '';
  private readonly copy: CopyIn;
  private readonly files: StagedFile[] = [];

  private constructor(private readonly manager: EntityManager) {
    this.copy = new CopyIn(manager.queryRunner!, `COPY import_rows (file, key, line, cells) FROM STDIN`);
  }

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
    this.text += `${file}\t${copyText(key)}\t${row.line}\t${copyText(JSON.stringify(row.cells))}\n`;
    if (this.text.length < STAGE_BATCH_CHARS) return;
    const text = this.text;
    this.text = '';
    await this.copy.write(text);
  }

  /** Sends what is left and ends the COPY: before any other statement of the transaction, a rollback too. */
  async endStaging(): Promise<void> {
    const text = this.text;
    this.text = '';
    await this.copy.write(text);
    await this.copy.end();
  }

  async *groups(columns: ColumnMap[]): AsyncIterable<ImportRow[][]> {
    await this.endStaging();
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
