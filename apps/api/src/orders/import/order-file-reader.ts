import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import type { ImportRowError, Platform } from '@mt/contracts';
import { NormalizedOrder } from '../normalized-order';
import { BuildContext, detectFormat } from './order-export-formats';
import { ImportRow, RowError } from './import-row';

export interface ParsedOrderFile {
  platform: Platform | null;
  /** `order-items`: a file of line items that completes an `orders` file of the same upload (Etsy). */
  kind: 'orders' | 'order-items';
  rows: number;
  orders: NormalizedOrder[];
  errors: ImportRowError[];
}

const MAX_ERRORS = 100;

/**
 * Streams one export through csv-parse (BOM, quoted newlines, ragged rows tolerated), recognises the
 * platform from the header row, groups the rows of each order (Shopify and Amazon have one row per
 * line item; rows of one order need not be adjacent) and builds the orders. Errors name line and column.
 */
export async function readOrderFile(
  content: Buffer | Readable,
  context: (platform: Platform) => Promise<BuildContext>,
): Promise<ParsedOrderFile> {
  const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
  const firstChunk = Buffer.isBuffer(content) ? content.subarray(0, 4096).toString('utf8') : '';
  const firstLine =
    firstChunk
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((line) => line.trim() !== '') ?? '';
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  const parser = source.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: delimiter === '\t',
      quote: delimiter === '\t' ? false : '"',
      skip_empty_lines: true,
      info: true,
    }),
  );

  const errors: ImportRowError[] = [];
  const groups = new Map<string, ImportRow[]>();
  let detected: ReturnType<typeof detectFormat> = null;
  let header: string[] | null = null;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        if (record.every((cell) => cell.trim() === '')) continue;
        header = record;
        detected = detectFormat(header);
        if (!detected) {
          return {
            platform: null,
            kind: 'orders',
            rows: 0,
            orders: [],
            errors: [
              {
                row: info.lines,
                column: null,
                message: 'header row matches no known order export (Shopify, WooCommerce, Etsy, Amazon, eBay)',
              },
            ],
          };
        }
        const missing = detected.format.required.filter((field) => !detected!.columns.has(field));
        if (missing.length) {
          return {
            platform: detected.format.platform,
            kind: detected.format.kind ?? 'orders',
            rows: 0,
            orders: [],
            errors: missing.map((field) => ({
              row: info.lines,
              column: detected!.format.columns[field]![0]!,
              message: `column ${detected!.format.columns[field]![0]} is missing`,
            })),
          };
        }
        continue;
      }
      const row = new ImportRow(info.lines, record, detected!.columns);
      if (row.isBlank()) continue;
      const key = row.text(detected!.format.keyField);
      if (!key) {
        if (detected!.format.isFooter?.(row)) continue;
        rows++;
        if (errors.length < MAX_ERRORS)
          errors.push({
            row: info.lines,
            column: detected!.columns.header(detected!.format.keyField),
            message: `${detected!.columns.header(detected!.format.keyField)} is empty`,
          });
        continue;
      }
      rows++;
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
  } catch (error) {
    return {
      platform: detected?.format.platform ?? null,
      kind: detected?.format.kind ?? 'orders',
      rows,
      orders: [],
      errors: [
        {
          row: 0,
          column: null,
          message: `not a readable CSV/TSV file: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  if (!detected)
    return {
      platform: null,
      kind: 'orders',
      rows: 0,
      orders: [],
      errors: [{ row: 0, column: null, message: 'the file is empty' }],
    };

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
  return { platform: detected.format.platform, kind: detected.format.kind ?? 'orders', rows, orders, errors };
}
