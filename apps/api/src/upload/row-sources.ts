import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { Cell } from './cell-values';
import { FileRejected, XLSX_LIMITS } from './file-guard';

/** One physical row of a report: `row` is 1-based within its sheet (CSV: the record number). */
export interface SourceRow {
  sheet: string;
  row: number;
  cells: Cell[];
}

/** The separator used by the first line that has any text: comma, semicolon (European Excel) or tab. */
export function sniffDelimiter(head: Buffer): string {
  const firstLine =
    head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((line) => line.trim() !== '') ?? '';
  const counts = [',', ';', '\t'].map((delimiter) => [delimiter, firstLine.split(delimiter).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** Streams CSV records; memory holds one parser buffer, never the file's rows. */
export async function* csvRows(input: Readable, delimiter: string): AsyncGenerator<SourceRow> {
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      // Tab-delimited reports (Amazon's) do not quote: a title like `12" Vinyl` is text, not a quote.
      quote: delimiter === '\t' ? false : '"',
      skip_empty_lines: false,
      trim: true,
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { sheet: '', row, cells: record };
    }
  } catch (error) {
    throw new FileRejected(`CSV could not be read after record ${row}: ${(error as Error).message}`);
  }
}

/**
 * Streams XLSX rows sheet by sheet with exceljs' streaming reader (styles cached so that date cells come
 * back as dates). A cell count limit backs up the `<dimension>` check of `checkXlsx` for files without one.
 */
export async function* xlsxRows(input: Readable, maxCells = XLSX_LIMITS.maxCells): AsyncGenerator<SourceRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let cells = 0;
  try {
    for await (const worksheet of workbook) {
      const sheet = (worksheet as unknown as { name: string }).name;
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        cells += values.length;
        if (cells > maxCells) {
          throw new FileRejected(`more than ${maxCells.toLocaleString('en-US')} cells; send large reports as CSV`);
        }
        yield { sheet, row: row.number, cells: values.map(cellValue) };
      }
    }
  } catch (error) {
    if (error instanceof FileRejected) throw error;
    // exceljs' own messages ("Unexpected close tag") mean nothing to the person who uploaded the file.
    throw new FileRejected(
      'the workbook could not be read: it may be damaged; open it in a spreadsheet program and save it again',
      { cause: error },
    );
  }
}

function cellValue(value: ExcelJS.CellValue | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) {
    return value;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellValue((value as { result?: ExcelJS.CellValue }).result);
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return null;
  return null;
}
