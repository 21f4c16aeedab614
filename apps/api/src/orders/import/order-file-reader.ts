import type { ImportRowError, Platform } from '@mt/contracts';
import { Readable } from 'node:stream';
import { assumedDecimalMark, DecimalMark } from '../../common/number-grammar';
import { Cell } from '../../upload/cell-values';
import { csvRows, SourceRow, sniffDelimiter } from '../../upload/row-sources';
import { NormalizedOrder } from '../normalized-order';
import { ImportRow, RowError } from './import-row';
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
 * Reads one export from the rows of the one reader (CSV with any delimiter, XLSX): the platform from the
 * header row, the rows of each order grouped (Shopify and Amazon have one row per line item; rows of one
 * order need not be adjacent), then the orders. Numbers are read per column (`decimalMark`: the file's
 * assumption until the column's own values say, see the number grammar). Errors name row and column.
 */
export async function readOrderRows(
  source: AsyncIterable<SourceRow>,
  context: (platform: Platform) => Promise<BuildContext>,
  decimalMark: DecimalMark,
): Promise<ParsedOrderFile> {
  const errors: ImportRowError[] = [];
  const groups = new Map<string, ImportRow[]>();
  let detected: ReturnType<typeof detectFormat> = null;
  let headerSheet = '';
  let rows = 0;
  const outcome = (format: OrderExportFormat | null, problems: ImportRowError[]): ParsedOrderFile => ({
    platform: format?.platform ?? null,
    kind: format?.kind ?? 'orders',
    label: format?.label ?? 'order export',
    rows,
    count: groups.size,
    noun: 'order',
    orders: [],
    errors: problems,
  });
  for await (const { row: number, cells, sheet } of source) {
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
      columns.readNumbers(decimalMark, () => [...groups.values()].flat());
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
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  if (!detected) return outcome(null, [{ row: 0, column: null, message: 'the file is empty' }]);

  const ctx = await context(detected.format.platform);
  const orders: NormalizedOrder[] = [];
  for (const group of groups.values()) {
    try {
      orders.push(detected.format.build(group, ctx));
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      if (errors.length < MAX_ERRORS) errors.push({ row: error.row, column: error.column, message: error.message });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return { ...outcome(detected.format, errors), orders };
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
