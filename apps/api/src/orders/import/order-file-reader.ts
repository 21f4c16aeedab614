import type { ImportRowError, Platform } from '@mt/contracts';
import { Readable } from 'node:stream';
import { WorkSlices } from '../../common/event-loop';
import { assumedDecimalMark, DecimalMark } from '../../common/number-grammar';
import { Cell } from '../../upload/cell-values';
import { csvRows, SourceRow, sniffDelimiter } from '../../upload/row-sources';
import { NormalizedOrder } from '../normalized-order';
import { ColumnMap, ImportRow, RowError } from './import-row';
import { BuildContext, detectFormat, OrderExportFormat } from './order-export-formats';

export interface ParsedOrderFile {
  platform: Platform | null;
  /** `order-items`: a file of line items that completes an `orders` file of the same upload (Etsy). */
  kind: 'orders' | 'order-items';
  /** What the file is, for people: "Shopify orders export", "JSON file of Etsy receipts". */
  label: string;
  rows: number;
  /** Orders (receipts) the file holds, readable or not; `noun` is what one is called. */
  count: number;
  noun: string;
  orders: NormalizedOrder[];
  errors: ImportRowError[];
}

const MAX_ERRORS = 100;

/** The text of a cell as an export writes it: XLSX dates as the wall-clock time they show. */
function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 19).replace('T', ' ');
  return String(cell);
}

/**
 * Where the rows of a file wait, by order, until the whole file is read (rows of one order need not be
 * adjacent): in memory for small files (tests), in a staging table for uploads (OrderImportService).
 */
export interface OrderRowStore {
  add(key: string, row: ImportRow): void | Promise<void>;
  /** The file's orders, known once `groups` ran through them. */
  readonly orders: number;
}

/** The row stores of one or more files read together (an orders file and its items file). */
export interface OrderRowStores {
  file(index: number): OrderRowStore;
  /** Each order's rows of each file (`columns`: per file), in file order; the orders in any order. */
  groups(columns: ColumnMap[]): AsyncIterable<ImportRow[][]>;
}

/** The rows of files held in memory (tests, scripts). */
export class MemoryRowStore implements OrderRowStores {
  private readonly byKey = new Map<string, ImportRow[][]>();
  private readonly files: Array<{ orders: number; add(key: string, row: ImportRow): void }> = [];

  file(index: number): OrderRowStore {
    while (this.files.length <= index) {
      const file = this.files.length;
      this.files.push({
        orders: 0,
        add: (key, row) => {
          const group = this.byKey.get(key) ?? [];
          this.byKey.set(key, group);
          while (group.length <= file) group.push([]);
          group[file]!.push(row);
        },
      });
    }
    return this.files[index]!;
  }

  async *groups(columns: ColumnMap[]): AsyncIterable<ImportRow[][]> {
    for (const file of this.files) file.orders = 0;
    for (const group of this.byKey.values()) {
      const rows = columns.map((_, file) => group[file] ?? []);
      rows.forEach((fileRows, file) => {
        if (fileRows.length) this.files[file]!.orders++;
      });
      yield rows;
    }
  }
}

/** A file's rows read and stored by order, ready for its orders to be built (`buildOrders`). */
export interface ScannedOrderFile {
  /** Null when the header matched no export or lacks a required column (then `errors` say so). */
  detected: { format: OrderExportFormat; columns: ColumnMap } | null;
  platform: Platform | null;
  kind: 'orders' | 'order-items';
  label: string;
  rows: number;
  errors: ImportRowError[];
}

/**
 * Reads one export from the rows of the one reader (CSV with any delimiter, XLSX): the platform from the
 * header row, each data row into `store` under its order's key. Numbers are read per column
 * (`decimalMark`: the file's assumption until the column's own values say, see the number grammar), each
 * column's evidence learnt from every row here. Errors name row and column.
 */
export async function scanOrderRows(
  source: AsyncIterable<SourceRow>,
  decimalMark: DecimalMark,
  store: OrderRowStore,
): Promise<ScannedOrderFile> {
  const errors: ImportRowError[] = [];
  let detected: ReturnType<typeof detectFormat> = null;
  let headerSheet = '';
  let rows = 0;
  const slices = new WorkSlices();
  const outcome = (format: OrderExportFormat | null, problems: ImportRowError[]): ScannedOrderFile => ({
    detected: null,
    platform: format?.platform ?? null,
    kind: format?.kind ?? 'orders',
    label: format?.label ?? 'order export',
    rows,
    errors: problems,
  });
  for await (const { row: number, cells, sheet } of source) {
    if (slices.done()) await slices.next();
    const record = cells.map(cellText);
    if (!detected) {
      if (record.every((cell) => cell.trim() === '')) continue;
      detected = detectFormat(record);
      headerSheet = sheet;
      if (!detected) {
        return outcome(null, [
          {
            row: number,
            column: null,
            message: 'the header row matches no order export of Shopify, WooCommerce, Etsy, Amazon or eBay',
          },
        ]);
      }
      const { format, columns } = detected;
      const missing = format.required.filter((field) => !columns.has(field));
      if (missing.length) {
        return outcome(
          format,
          missing.map((field) => ({
            row: number,
            column: format.columns[field]![0]!,
            message: `this looks like ${withArticle(format.label)}, but its column ${format.columns[field]![0]} is missing`,
          })),
        );
      }
      columns.readNumbers(decimalMark);
      continue;
    }
    // An order export is one sheet; further sheets of a workbook (notes, pivots) are not orders.
    if (sheet !== headerSheet) continue;
    const row = new ImportRow(number, record, detected.columns);
    if (row.isBlank()) continue;
    const key = row.text(detected.format.keyField);
    rows++;
    if (!key) {
      if (detected.format.isFooter?.(row)) {
        rows--;
        continue;
      }
      if (errors.length < MAX_ERRORS) {
        const column = detected.columns.header(detected.format.keyField);
        errors.push({ row: number, column, message: `${column} is empty` });
      }
      continue;
    }
    detected.columns.learn(row);
    await store.add(key, row);
  }
  if (!detected) return outcome(null, [{ row: 0, column: null, message: 'the file is empty' }]);
  return { ...outcome(detected.format, errors), detected };
}

/**
 * A built order (`bytes`: its size in the file, where one order can be large: a JSON answer's), or the
 * error of the row that stopped it (each order's build stops at its first bad cell).
 */
export type BuiltOrder = { order: NormalizedOrder; bytes?: number } | { error: ImportRowError };

/** A scanned file whose header was recognised. */
export type DetectedOrderFile = ScannedOrderFile & { detected: NonNullable<ScannedOrderFile['detected']> };

/**
 * The orders of scanned files, one per order key of `stores`, built with `ctx`, each with the position of
 * the file it counts for. An orders file read with its items file (Etsy's Sold Orders and Sold Order
 * Items): its orders take their lines from the items file, and an order found only in the items file is
 * built from its rows there.
 */
export async function* buildOrders(
  files: DetectedOrderFile[],
  stores: OrderRowStores,
  ctx: BuildContext,
): AsyncGenerator<{ file: number; built: BuiltOrder }> {
  const orders = files.findIndex((file) => file.kind === 'orders');
  const items = files.findIndex((file) => file.kind === 'order-items');
  const paired = files.length === 2 && orders !== -1 && items !== -1;
  const slices = new WorkSlices();
  for await (const group of stores.groups(files.map((file) => file.detected.columns))) {
    if (slices.done()) await slices.next();
    if (!paired) {
      yield { file: 0, built: buildOrder(files[0]!, group[0]!, ctx) };
      continue;
    }
    const lines = group[items]!.length ? buildOrder(files[items]!, group[items]!, ctx) : null;
    if (!group[orders]!.length) {
      yield { file: items, built: lines! };
      continue;
    }
    const order = buildOrder(files[orders]!, group[orders]!, ctx);
    if ('order' in order && lines && 'order' in lines) order.order = { ...order.order, lines: lines.order.lines };
    yield { file: orders, built: order };
    if (lines && 'error' in lines) yield { file: items, built: lines };
  }
}

function buildOrder(file: DetectedOrderFile, rows: ImportRow[], ctx: BuildContext): BuiltOrder {
  try {
    return { order: file.detected.format.build(rows, ctx) };
  } catch (error) {
    if (!(error instanceof RowError)) throw error;
    return { error: { row: error.row, column: error.column, message: error.message } };
  }
}

/** Keeps the first `MAX_ERRORS` errors of a file, in row order. */
export function addError(errors: ImportRowError[], error: ImportRowError): void {
  if (errors.length < MAX_ERRORS) errors.push(error);
}

/** Reads one export whole, into memory: its rows, then its orders (see `scanOrderRows`). */
export async function readOrderRows(
  source: AsyncIterable<SourceRow>,
  context: (platform: Platform) => Promise<BuildContext>,
  decimalMark: DecimalMark,
): Promise<ParsedOrderFile> {
  const store = new MemoryRowStore();
  const scanned = await scanOrderRows(source, decimalMark, store.file(0));
  const parsed: ParsedOrderFile = {
    platform: scanned.platform,
    kind: scanned.kind,
    label: scanned.label,
    rows: scanned.rows,
    count: 0,
    noun: 'order',
    orders: [],
    errors: scanned.errors,
  };
  if (!scanned.detected) return parsed;
  const ctx = await context(scanned.detected.format.platform);
  for await (const { built } of buildOrders([{ ...scanned, detected: scanned.detected }], store, ctx)) {
    if ('order' in built) parsed.orders.push(built.order);
    else addError(parsed.errors, built.error);
  }
  parsed.count = store.file(0).orders;
  parsed.errors.sort((a, b) => a.row - b.row);
  return parsed;
}

/** A CSV or TSV export in memory (tests, scripts): the delimiter from its header line, as the intake does. */
export function readOrderFile(
  content: Buffer,
  context: (platform: Platform) => Promise<BuildContext>,
): Promise<ParsedOrderFile> {
  const delimiter = sniffDelimiter(content.subarray(0, 64 * 1024));
  return readOrderRows(csvRows(Readable.from([content]), delimiter), context, assumedDecimalMark(delimiter));
}

export function withArticle(label: string): string {
  return /^[aeiou]/i.test(label) ? `an ${label}` : `a ${label}`;
}
